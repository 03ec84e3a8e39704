using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Priors;

[TestClass]
public sealed class PriorEstimatorTests
{
    private static readonly MicroscopySimulationOptions Simulation = new()
    {
        Shape = ImageShape.Of2D(160, 160),
        SemiAxis = (8, 14),
        CountPerImage = (12, 20),
        Seed = 7,
    };

    internal static List<SimulatedMicroscopyImage> SimulatedImages(int count = 3)
    {
        var simulator = new MicroscopySimulator(Simulation);
        return Enumerable.Range(0, count).Select(i => simulator.Simulate(i)).ToList();
    }

    private static double TrueMedian(IEnumerable<ImageBuffer<uint>> labels)
    {
        var axes = labels.SelectMany(l => ObjectShapes.Measure(l).Where(s => !s.TouchesBorder).Select(s => s.SemiMajorAxis)).OrderBy(a => a).ToList();
        return SemiAxisStatistics.From(axes, 10, 90).Median;
    }

    [TestMethod]
    public void SimulatedMicroscopyGivesTheTrueMedianAndATightRange()
    {
        var images = SimulatedImages();
        var priors = new PriorEstimator().Estimate(images.Select(i => i.Image).ToList());
        double truth = TrueMedian(images.Select(i => i.Labels));
        Assert.AreEqual(truth, priors.Measured.Median, 0.2 * truth, priors.ToString());
        Assert.AreEqual(1.0, priors.ImageScale);
        Assert.IsTrue(priors.SemiAxis.Min >= Simulation.SemiAxis.Min - 3 && priors.SemiAxis.Max <= Simulation.SemiAxis.Max + 3, priors.ToString());
        Assert.IsLessThan(priors.SemiAxis.Max, priors.SemiAxis.Min);
        Assert.IsGreaterThan(20, priors.ObjectsMeasured);
        Assert.HasCount(3, priors.Images);
    }

    [TestMethod]
    public void BlurredNoisySyntheticMasksGiveTheTrueMedian()
    {
        var generator = new SyntheticMaskGenerator(new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(128, 128), SemiAxis = (9, 15), CountPerPatch = (6, 12), Seed = 3 });
        var random = new Random(5);
        var images = new List<ImageBuffer<float>>();
        var labels = new List<ImageBuffer<uint>>();
        for (int i = 0; i < 4; i++)
        {
            var patch = generator.Generate(i);
            var blurred = GaussianBlur.Apply(new ImageBuffer<float>(patch.Mask.Data.Select(v => v / 255f).ToArray(), patch.Mask.Shape), 1.5);
            var noisy = blurred.Data.Select(v => v + 0.1f * (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5)).ToArray();
            images.Add(new ImageBuffer<float>(noisy, patch.Mask.Shape));
            labels.Add(patch.Labels);
        }

        var priors = new PriorEstimator().Estimate(images);
        double truth = TrueMedian(labels);
        Assert.AreEqual(truth, priors.Measured.Median, 0.2 * truth, priors.ToString());
        Assert.IsTrue(priors.SemiAxis.Min >= 9 - 3 && priors.SemiAxis.Max <= 15 + 3, priors.ToString());
    }

    [TestMethod]
    public void TargetRadiusRescalesTheRangesAndTheCounts()
    {
        var images = SimulatedImages().Select(i => i.Image).ToList();
        var atOne = new PriorEstimator(new PriorEstimationOptions { PatchSize = 64 }).Estimate(images);
        var half = new PriorEstimator(new PriorEstimationOptions { PatchSize = 64, TargetRadius = atOne.Measured.Median / 2 }).Estimate(images);
        Assert.AreEqual(0.5, half.ImageScale, 1e-9);
        Assert.AreEqual(atOne.Measured.Median, half.Measured.Median, 1e-9);
        Assert.AreEqual(atOne.Measured.Median / 2, half.MeasuredAtScale.Median, 1e-9);
        Assert.AreEqual(Math.Round(half.MeasuredAtScale.Low), half.SemiAxis.Min);
        Assert.AreEqual(Math.Round(half.MeasuredAtScale.High) + 1, half.SemiAxis.Max);

        // A 64-pixel patch at scale 0.5 covers 128 x 128 image pixels: the image density times that area.
        double density = half.Images.Sum(i => i.NucleusCount) / half.Images.Sum(i => (double)i.Height * i.Width);
        Assert.AreEqual(density * 128 * 128, half.Counts.Median, 0.25 * density * 128 * 128, half.Counts.ToString());
        Assert.IsLessThan(half.Counts.Median, atOne.Counts.Median, $"{atOne.Counts} / {half.Counts}");
    }

    [TestMethod]
    public void RecommendScaleBringsTheMedianToTheTarget()
    {
        Assert.AreEqual(0.5, PriorEstimator.RecommendScale(20, 10), 1e-12);
        Assert.AreEqual(2.0, PriorEstimator.RecommendScale(6, 12), 1e-12);
        Assert.AreEqual(1.0, PriorEstimator.RecommendScale(20, null));
        Assert.AreEqual(1.0, PriorEstimator.RecommendScale(double.NaN, 10));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PriorEstimator.RecommendScale(20, -1));
    }

    [TestMethod]
    public void CountsPerPatchCountCentresInHalfOverlappingWindows()
    {
        // A 10 x 10 grid of centres, one per 10 x 10 cell of a 100 x 100 image.
        var ys = new List<double>();
        var xs = new List<double>();
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                ys.Add(10 * y + 4.5);
                xs.Add(10 * x + 4.5);
            }
        }

        var m = new ImageNucleusMeasurement("grid", 100, 100, 1, 5, Array.Empty<double>(), ys.ToArray(), xs.ToArray(), ys.Select(_ => 1.0).ToArray(), 10, 90);
        var counts = PriorEstimator.CountsPerPatch(m, 40).ToList();
        Assert.HasCount(16, counts); // starts 0, 20, 40, 60 on each axis
        Assert.IsTrue(counts.All(c => c == 16), string.Join(",", counts));

        // A window larger than the image counts the whole image, scaled to the window's area.
        var whole = PriorEstimator.CountsPerPatch(m, 200).ToList();
        Assert.HasCount(1, whole);
        Assert.AreEqual(400, whole[0], 1e-9);
    }

    [TestMethod]
    public void ToMaskOptionsKeepsTheTemplateAndValidates()
    {
        var priors = new PriorEstimator(new PriorEstimationOptions { PatchSize = 96 }).Estimate(SimulatedImages(2).Select(i => i.Image).ToList());
        var template = new SyntheticMaskOptions { Coding = SyntheticMaskCoding.ThreeLevel, Seed = 42 };
        var options = priors.ToMaskOptions(template);
        Assert.AreEqual(priors.SemiAxis, options.SemiAxis);
        Assert.AreEqual(priors.CountPerPatch, options.CountPerPatch);
        Assert.AreEqual(ImageShape.Of2D(96, 96), options.PatchShape);
        Assert.AreEqual(SyntheticMaskCoding.ThreeLevel, options.Coding);
        Assert.AreEqual(42, options.Seed);
        Assert.AreEqual((13, 18), template.SemiAxis, "the template is not modified");
        options.Validate();
        Assert.IsGreaterThanOrEqualTo(1, priors.CountPerPatch.Max);
    }

    [TestMethod]
    public void FlatImagesAndBadOptionsAreRejected()
    {
        var flat = new ImageBuffer<float>(Enumerable.Repeat(3f, 64 * 64).ToArray(), ImageShape.Of2D(64, 64));
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new PriorEstimator().Estimate(new[] { flat }, new[] { "flat.png" }));
        StringAssert.Contains(ex.Message, "flat.png");
        var bad = Assert.ThrowsExactly<ArgumentException>(() => new PriorEstimator(new PriorEstimationOptions { SemiAxisPercentiles = (90, 10) }));
        StringAssert.Contains(bad.Message, "SemiAxisPercentiles");
        Assert.ThrowsExactly<ArgumentException>(() => new PriorEstimator(new PriorEstimationOptions { TargetRadius = 0 }));
        Assert.ThrowsExactly<ArgumentException>(() => new PriorEstimator().Estimate(Array.Empty<ImageBuffer<float>>()));
        Assert.ThrowsExactly<ArgumentException>(() => new PriorEstimator().MeasureImage(new ImageBuffer<float>(ImageShape.Of3D(2, 8, 8)), "v"));
    }

    [TestMethod]
    public void EstimationIsDeterministic()
    {
        var images = SimulatedImages(2).Select(i => i.Image).ToList();
        var a = new PriorEstimator().Estimate(images);
        var b = new PriorEstimator().Estimate(images);
        Assert.AreEqual(a.ToString(), b.ToString());
    }
}
