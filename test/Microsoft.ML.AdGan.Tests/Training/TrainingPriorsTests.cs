using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Tests.Priors;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

[TestClass]
public sealed class TrainingPriorsTests
{
    private static IEnumerable<(string, ImageBuffer<float>)> Images() =>
        PriorEstimatorTests.SimulatedImages().Select((s, i) => ($"sim {i}", s.Image));

    [TestMethod]
    public void WithoutEstimationTheOptionsComeBackUnchanged()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>();
        Assert.AreSame(options, TrainingPriors.Resolve(options, Images()));
    }

    [TestMethod]
    public void ATargetRadiusSetsTheScaleAndTheRangesAroundIt()
    {
        var options = new AdGanTrainerOptions();
        options.CropSize = 64;
        options.PriorEstimation = new PriorEstimationOptions { TargetRadius = 6 };
        var messages = new List<string>();
        var resolved = TrainingPriors.Resolve(options, Images(), messages.Add);

        Assert.AreNotSame(options, resolved);
        Assert.AreEqual((10, 15), options.Masks.SemiAxis, "the caller's options are not changed");
        Assert.AreEqual(1.0, options.ImageScale);
        // The simulated nuclei have semi-axes 8-14 px, so a target of 6 asks for roughly half size.
        Assert.IsTrue(resolved.ImageScale is > 0.35 and < 0.8, $"scale {resolved.ImageScale}");
        Assert.IsLessThanOrEqualTo(6, resolved.Masks.SemiAxis.Min);
        Assert.IsGreaterThan(6, resolved.Masks.SemiAxis.Max);
        Assert.IsGreaterThanOrEqualTo(1, resolved.Masks.CountPerPatch.Max);
        Assert.HasCount(1, messages);
        StringAssert.Contains(messages[0], "working scale");
    }

    [TestMethod]
    public void WithoutATargetTheGivenScaleIsKeptAndTheImagesAreMeasuredAtIt()
    {
        var atOne = new AdGanTrainerOptions();
        atOne.PriorEstimation = new PriorEstimationOptions();
        var full = TrainingPriors.Resolve(atOne, Images());
        var atHalf = new AdGanTrainerOptions();
        atHalf.ImageScale = 0.5;
        atHalf.PriorEstimation = new PriorEstimationOptions();
        var half = TrainingPriors.Resolve(atHalf, Images());

        Assert.AreEqual(1.0, full.ImageScale);
        Assert.AreEqual(0.5, half.ImageScale);
        double midFull = (full.Masks.SemiAxis.Min + full.Masks.SemiAxis.Max) / 2.0;
        double midHalf = (half.Masks.SemiAxis.Min + half.Masks.SemiAxis.Max) / 2.0;
        Assert.AreEqual(midFull / 2, midHalf, 0.25 * midFull, $"full {full.Masks.SemiAxis}, half {half.Masks.SemiAxis}");
    }
}
