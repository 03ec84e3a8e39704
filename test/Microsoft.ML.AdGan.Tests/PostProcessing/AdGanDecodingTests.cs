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
        var split = InstanceLabelOptions.ForAdGan(settings);
        Assert.AreEqual(0.16, split.WorkingScale);
        Assert.AreEqual(InstanceLabelMode.Semantic, split.Mode);
        Assert.AreEqual(-0.7f, split.ForegroundThreshold);
        Assert.AreEqual(7, split.MinMarkerDistance);

        var cores = InstanceLabelOptions.ForAdGan(settings, AdGanDecoding.Cores);
        Assert.AreEqual(InstanceLabelMode.ThreeLevel, cores.Mode);
        Assert.AreEqual(0.4f, cores.CoreThreshold);
        Assert.AreEqual(0.16, cores.WorkingScale);
        Assert.AreEqual(InstanceLabelMode.Semantic, InstanceLabelOptions.ForAdGan(settings with { Coding = SyntheticMaskCoding.Semantic }, AdGanDecoding.Cores).Mode);
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
