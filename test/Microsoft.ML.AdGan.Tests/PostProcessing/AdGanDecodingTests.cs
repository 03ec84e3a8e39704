using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class AdGanDecodingTests
{
    [TestMethod]
    public void AWorkingScaleLabelsTheResampledMapAndReturnsLabelsAtItsSize()
    {
        var truth = InstanceLabelerTests.TouchingNuclei(ImageShape.Of2D(96, 112), seed: 3);
        var map = InstanceLabelerTests.ThreeLevel(truth);
        var options = new InstanceLabelOptions { WorkingScale = 0.5, MinObjectSize = 4 };

        var labels = new InstanceLabeler(options).Label(map);

        Assert.AreEqual(map.Shape, labels.Shape);
        var atHalf = new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = 4 }).Label(ImageResampler.Rescale(map, 0.5));
        CollectionAssert.AreEqual(ImageResampler.ResizeNearest(atHalf, map.Shape).Data, labels.Data);
        var scores = new SegmentationEvaluator().EvaluateImage(truth, labels);
        Assert.IsGreaterThan(0.8, scores.AggregatedJaccardIndex, "half-scale labelling still finds the touching nuclei");
    }

    [TestMethod]
    public void SizesCountPixelsAtTheWorkingScale()
    {
        var truth = InstanceLabelerTests.TouchingNuclei(ImageShape.Of2D(96, 96), seed: 4);
        var map = InstanceLabelerTests.ThreeLevel(truth);
        // Nuclei of radius ~9 cover ~250 pixels at full size but ~64 at scale 0.5: a minimum of 100 removes them only there.
        Assert.AreNotEqual(0u, new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = 100 }).Label(map).Data.Max());
        Assert.AreEqual(0u, new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = 100, WorkingScale = 0.5 }).Label(map).Data.Max());
    }

    [TestMethod]
    public void ForAdGanLabelsAtTheModelsScale()
    {
        var settings = new AdGanInferenceSettings { ImageScale = 0.16, CoreThreshold = 0.4f };
        var split = AdGanLabeling.For(settings);
        Assert.AreEqual(0.16, split.WorkingScale);
        Assert.AreEqual(InstanceLabelMode.Semantic, split.Mode);
        Assert.AreEqual(-0.7f, split.ForegroundThreshold);
        Assert.AreEqual(7, split.MinMarkerDistance);

        var cores = AdGanLabeling.For(settings with { Decoding = AdGanDecoding.Cores });
        Assert.AreEqual(InstanceLabelMode.ThreeLevel, cores.Mode);
        Assert.AreEqual(0.4f, cores.CoreThreshold);
        Assert.AreEqual(0.16, cores.WorkingScale);
        Assert.AreEqual(InstanceLabelMode.Semantic, AdGanLabeling.For(settings with { Coding = SyntheticMaskCoding.Semantic } with { Decoding = AdGanDecoding.Cores }).Mode);
    }

    [TestMethod]
    public void TheModelsImageThresholdRefitsTheBoundaries()
    {
        var settings = new AdGanInferenceSettings();
        Assert.AreEqual(ThresholdMethod.Otsu, AdGanLabeling.For(settings).ImageThresholdMethod);
        Assert.AreEqual(ThresholdMethod.LogOtsu, AdGanLabeling.For(settings with { ImageThresholdMethod = ThresholdMethod.LogOtsu }).ImageThresholdMethod);
        Assert.AreEqual(ThresholdMethod.LogOtsu, AdGanLabeling.For(settings with { ImageThresholdMethod = ThresholdMethod.LogOtsu, Decoding = AdGanDecoding.Cores }).ImageThresholdMethod);
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (settings with { ImageThresholdMethod = (ThresholdMethod)42 }).Validate());
        Assert.AreEqual(nameof(AdGanInferenceSettings.ImageThresholdMethod), bad.ParamName);
    }

    [TestMethod]
    public void ForAdGanScalesThePeakDistanceWithTheTrainedNucleusSize()
    {
        var settings = new AdGanInferenceSettings { ImageScale = 0.16 };
        // --radius 10,15 records a trained semi-axis of 12: the HaCaT models the decoding was chosen on keep 7 pixels.
        var hacat = new Microsoft.ML.AdGan.Training.AdGanTrainerOptions { ImageScale = 0.16, Masks = new SyntheticMaskOptions { SemiAxis = (10, 15) } }.InferenceSettings();
        Assert.AreEqual(7, AdGanLabeling.For(hacat).MinMarkerDistance);
        Assert.AreEqual(7, AdGanLabeling.For(settings with { TrainedSemiAxis = 12 }).MinMarkerDistance);
        Assert.AreEqual(7, AdGanLabeling.For(settings).MinMarkerDistance, "models that do not record their size keep 7");

        int small = AdGanLabeling.For(settings with { TrainedSemiAxis = 6 }).MinMarkerDistance;
        int large = AdGanLabeling.For(settings with { TrainedSemiAxis = 24 }).MinMarkerDistance;
        Assert.AreEqual(4, small, "half the trained size: 3.5 rounded up");
        Assert.AreEqual(14, large, "twice the trained size");
        Assert.AreEqual(21, AdGanLabeling.For(settings with { TrainedSemiAxis = 36 }).MinMarkerDistance, "three times the trained size");
        Assert.AreEqual(7, AdGanLabeling.For(settings with { TrainedSemiAxis = 12.5 }).MinMarkerDistance, "7.3 rounds to 7");
        Assert.AreEqual(1, AdGanLabeling.MarkerDistance(1), "never below one pixel");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AdGanLabeling.MarkerDistance(double.NaN));
        Assert.AreEqual(AdGanLabeling.For(settings with { TrainedSemiAxis = 6 } with { Decoding = AdGanDecoding.Cores }).MinMarkerDistance,
            new InstanceLabelOptions().MinMarkerDistance, "the reference's decoding is left as it is");
    }

    [TestMethod]
    public void TheSavedOptionsKeepTheWorkingScaleAndOlderVectorsStillRead()
    {
        var options = new InstanceLabelOptions { WorkingScale = 0.25, MinMarkerDistance = 9, Mode = InstanceLabelMode.Semantic };
        var back = InstanceLabelOptionsCodec.Decode(InstanceLabelOptionsCodec.Encode(options));
        Assert.AreEqual(0.25, back.WorkingScale, 1e-7);
        Assert.AreEqual(9, back.MinMarkerDistance);

        var version1 = new float[] { 1, 0, -0.498f, 0.5f, 0, 10, 1, 0, 5, 1, 0 };
        Assert.AreEqual(1.0, InstanceLabelOptionsCodec.Decode(version1).WorkingScale);
        Assert.ThrowsExactly<InvalidOperationException>(() => InstanceLabelOptionsCodec.Decode(new float[] { 3, 0 }));
    }

    [TestMethod]
    public void AWorkingScaleOutOfRangeIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new InstanceLabelOptions { WorkingScale = 0 }.Validate());
        Assert.AreEqual("WorkingScale", e.ParamName);
    }
}
