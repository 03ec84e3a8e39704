using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class RobustThresholdTests
{
    [TestMethod]
    public void OtsuOfTheLogSplitsDimFromBackgroundWhereOtsuSplitsBrightFromDim()
    {
        // Background 100 (70%), dim objects 130 (27%), very bright ones 1000 (3%).
        var random = new Random(3);
        var values = Enumerable.Range(0, 10000).Select(i => (i % 100 < 70 ? 100f : i % 100 < 97 ? 130f : 1000f) + (float)random.NextDouble() * 4).ToArray();
        float otsu = Thresholds.Otsu(values), log = Thresholds.LogOtsu(values);
        Assert.IsTrue(otsu is > 132 and < 1000, $"Otsu {otsu}");
        Assert.IsTrue(log is > 104 and < 130, $"log Otsu {log}");
        var image = new ImageBuffer<float>(values, ImageShape.Of2D(100, 100));
        Assert.AreEqual(log, Thresholds.Of(image, ThresholdMethod.LogOtsu));
        Assert.AreEqual(otsu, Thresholds.Of(image, ThresholdMethod.Otsu));
        Assert.AreEqual(Thresholds.Li(values), Thresholds.Of(image, ThresholdMethod.Li));
    }

    /// <summary>Disks of radius 9 on a 20-level background, blurred: one 15 times brighter (320) than the dim others (40), or all evenly bright (200).</summary>
    private static (ImageBuffer<float> Image, ImageBuffer<uint> Truth) Scene(bool dimBesideBright)
    {
        var shape = ImageShape.Of2D(80, 120);
        var centres = new (int Y, int X)[] { (20, 20), (20, 60), (20, 100), (58, 20), (58, 60), (58, 100) };
        var truth = new ImageBuffer<uint>(shape);
        var image = new ImageBuffer<float>(shape);
        for (int y = 0; y < shape.Height; y++)
            for (int x = 0; x < shape.Width; x++)
            {
                image[y, x] = 20;
                for (int k = 0; k < centres.Length; k++)
                    if ((y - centres[k].Y) * (y - centres[k].Y) + (x - centres[k].X) * (x - centres[k].X) <= 81)
                    {
                        truth[y, x] = (uint)(k + 1);
                        image[y, x] = !dimBesideBright ? 200 : k == 0 ? 320 : 40;
                    }
            }

        return (GaussianBlur.Apply(image, 1.5), truth);
    }

    private static double Dice(ImageBuffer<float> image, ImageBuffer<uint> truth, ThresholdMethod method) =>
        new SegmentationEvaluator().EvaluateImage(truth,
            new ThresholdSegmentation(new ThresholdSegmentationOptions { Method = method, MinDiameter = 10 }).Segment(image)).Dice;

    [TestMethod]
    public void PerObjectThresholdsFindDimNucleiBesideABrightOne()
    {
        var (image, truth) = Scene(dimBesideBright: true);
        Assert.IsLessThan(0.4, Dice(image, truth, ThresholdMethod.Otsu), "one Otsu threshold keeps the bright nucleus only");
        Assert.IsGreaterThan(0.9, Dice(image, truth, ThresholdMethod.Local));
    }

    [TestMethod]
    public void PerObjectThresholdsMatchOtsuOnEvenlyBrightNuclei()
    {
        var (image, truth) = Scene(dimBesideBright: false);
        double otsu = Dice(image, truth, ThresholdMethod.Otsu);
        Assert.IsGreaterThan(0.95, otsu);
        Assert.AreEqual(otsu, Dice(image, truth, ThresholdMethod.Local), 0.02);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Thresholds.Of(image, ThresholdMethod.Local));
    }
}
