using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Tests.Priors;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>A collection that mixes magnifications: each image reaches the network at the target nucleus size, and the priors describe it there.</summary>
[TestClass]
public sealed class PerImageScaleTests
{
    private const double Target = 6;

    /// <summary>The simulated images at their own magnification (semi-axes 8-14 px) and the same images magnified 2.5 times.</summary>
    private static List<(string Name, ImageBuffer<float> Image)> MixedMagnifications()
    {
        var images = PriorEstimatorTests.SimulatedImages();
        return images.Select((s, i) => ($"low {i}", s.Image))
            .Concat(images.Select((s, i) => ($"high {i}", ImageResampler.Rescale(s.Image, 2.5))))
            .ToList();
    }

    private static AdGanTrainerOptions Options(bool perImage)
    {
        var options = new AdGanTrainerOptions();
        options.CropSize = 64;
        options.PriorEstimation = new PriorEstimationOptions { TargetRadius = Target };
        options.PerImageScale = perImage;
        return options;
    }

    [TestMethod]
    public void AnImagesOwnScaleBringsItsMedianToTheTargetWithinAFactorOfFour()
    {
        var scaling = new ImageScaling(0.5, 12);
        Assert.AreEqual(2.0, scaling.ForMedian(6), 1e-12);
        Assert.AreEqual(0.25, scaling.ForMedian(48), 1e-12);
        Assert.AreEqual(0.5 / ImageScaling.MaxChange, scaling.ForMedian(1000), 1e-12, "clamped below");
        Assert.AreEqual(0.5 * ImageScaling.MaxChange, scaling.ForMedian(1), 1e-12, "clamped above");
        Assert.AreEqual(0.5, scaling.ForMedian(double.NaN), "no measurable nucleus: the collection's scale");
        Assert.AreEqual(0.5, new ImageScaling(0.5).ForMedian(6), "no per-image size: one scale for all");
        Assert.AreEqual(ImageScaling.MaxScale, new ImageScaling(8, 12).ForMedian(0.5), 1e-12);
        var volume = new ImageBuffer<float>(new float[4 * 8 * 8], ImageShape.Of3D(4, 8, 8));
        Assert.AreEqual(0.5, new ImageScaling(0.5).For(volume), "one scale for all needs no measurement");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => scaling.For(volume)).Message, "2D images only");
    }

    [TestMethod]
    public void PriorsAtEachImagesOwnScaleAreNarrowAndCentredOnTheTarget()
    {
        var messages = new List<string>();
        var one = TrainingPriors.Resolve(Options(perImage: false), MixedMagnifications());
        var own = TrainingPriors.Resolve(Options(perImage: true), MixedMagnifications(), messages.Add);

        int oneWidth = one.Masks.SemiAxis.Max - one.Masks.SemiAxis.Min, ownWidth = own.Masks.SemiAxis.Max - own.Masks.SemiAxis.Min;
        Assert.IsLessThan(oneWidth, ownWidth, $"one scale {one.Masks.SemiAxis}, own scales {own.Masks.SemiAxis}");
        Assert.IsLessThanOrEqualTo(Target, own.Masks.SemiAxis.Min, own.Masks.SemiAxis.ToString());
        Assert.IsGreaterThan(Target, own.Masks.SemiAxis.Max, own.Masks.SemiAxis.ToString());
        Assert.IsLessThanOrEqualTo(2 * Target, own.Masks.SemiAxis.Max, "the magnified images no longer stretch the range");
        Assert.HasCount(1, messages);
        StringAssert.Contains(messages[0], "each image at its own scale");
    }

    [TestMethod]
    public void TrainingSeesEveryImageWithItsNucleiAtTheTargetSize()
    {
        var options = TrainingPriors.Resolve(Options(perImage: true), MixedMagnifications());
        var mixed = MixedMagnifications();
        var source = new InMemoryImageSource(mixed.Select(m => m.Image), options.Normalization, options.Scaling());
        var estimator = new PriorEstimator();
        for (int i = 0; i < source.Count; i++)
        {
            var prepared = source.Get(i);
            double median = estimator.MeasureImage(prepared, mixed[i].Name).Statistics.Median;
            Assert.AreEqual(Target, median, 0.25 * Target, $"{mixed[i].Name}: {prepared.Shape}");
        }

        Assert.AreEqual(source.Get(0).Shape.Height, source.Get(3).Shape.Height, 0.2 * source.Get(0).Shape.Height,
            "an image and its 2.5x magnification reach the network at about the same size");
    }

    [TestMethod]
    public void TheModelSegmentsEachImageAtTheSizeItWasTrainedFor()
    {
        var settings = Options(perImage: true).InferenceSettings();
        Assert.IsTrue(settings.PerImageScale);
        Assert.AreEqual(Target, settings.TrainedSemiAxis);
        Assert.AreEqual(new ImageScaling(1.0, Target), settings.Scaling);
        Assert.IsFalse(Options(perImage: false).InferenceSettings().PerImageScale);
    }

    [TestMethod]
    public void APerImageScaleWithoutATargetRadiusIsRefusedNamingTheOption()
    {
        var options = new AdGanTrainerOptions();
        options.PerImageScale = true;
        var e = Assert.ThrowsExactly<ArgumentException>(options.Validate);
        Assert.AreEqual(nameof(AdGanTrainerOptions.PerImageScale), e.ParamName);
        StringAssert.Contains(e.Message, "TargetRadius");
    }
}
