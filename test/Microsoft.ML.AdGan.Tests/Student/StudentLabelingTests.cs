using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.Student;

[TestClass]
public sealed class StudentLabelingTests
{
    /// <summary>Two overlapping discs coded as the student's distance target: normalised distance to each disc's edge, -1 outside.</summary>
    private static ImageBuffer<float> TwoTouchingNuclei()
    {
        var map = new float[24 * 36];
        Array.Fill(map, -1f);
        foreach (var (cy, cx) in new[] { (12.0, 11.0), (12.0, 23.0) })
        {
            for (int y = 0; y < 24; y++)
            {
                for (int x = 0; x < 36; x++)
                {
                    double d = 7.5 - Math.Sqrt((y - cy) * (y - cy) + (x - cx) * (x - cx));
                    if (d > 0)
                        map[y * 36 + x] = Math.Max(map[y * 36 + x], (float)(d / 7.5));
                }
            }
        }
        return new ImageBuffer<float>(map, ImageShape.Of2D(24, 36));
    }

    [TestMethod]
    public void DistancePeaksSplitTouchingNucleiAlongTheValley()
    {
        var options = new InstanceLabelOptions { Mode = InstanceLabelMode.DistancePeaks, ForegroundThreshold = -0.5f, CoreThreshold = 0, MinMarkerDistance = 4, MinObjectSize = 0 };
        var labels = new InstanceLabeler(options).Label(TwoTouchingNuclei());
        Assert.AreEqual(2u, labels.Data.Max());
        Assert.AreNotEqual(labels[12, 11], labels[12, 23]);
        Assert.AreEqual(labels[12, 11], labels[12, 16], "left of the valley belongs to the left nucleus");
        Assert.AreEqual(labels[12, 23], labels[12, 18], "right of the valley belongs to the right nucleus");
        Assert.AreEqual(0u, labels[0, 0]);
    }

    [TestMethod]
    public void StudentLabelingIsAtTheWorkingScaleWithTheImageBand()
    {
        var settings = new AdGanInferenceSettings { ImageScale = 0.25, TrainedSemiAxis = 24 };
        var peaks = StudentLabeling.For(settings, StudentDecoding.Peaks);
        Assert.AreEqual(InstanceLabelMode.DistancePeaks, peaks.Mode);
        Assert.AreEqual(0.25, peaks.WorkingScale);
        Assert.AreEqual(AdGanLabeling.ImageBoundaryBand, peaks.ImageBoundaryBand);
        Assert.AreEqual(14, peaks.MinMarkerDistance, "scaled with the trained nucleus size");
        var cores = StudentLabeling.For(settings, StudentDecoding.Cores);
        Assert.AreEqual((InstanceLabelMode.ThreeLevel, 0.5f), (cores.Mode, cores.CoreThreshold));
        Assert.AreEqual(InstanceLabelMode.Semantic, StudentLabeling.For(settings, StudentDecoding.Split).Mode);
        Assert.AreEqual(0, StudentLabeling.For(settings with { Dimensions = 3 }, StudentDecoding.Peaks).ImageBoundaryBand);
        Assert.AreEqual(0.5, StudentLabeling.For(settings with { ImageBoundaryBand = 0.5 }, StudentDecoding.Peaks).ImageBoundaryBand, "the model's recorded band wins");
    }
}
