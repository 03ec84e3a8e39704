using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Inference;

[TestClass]
public sealed class NucleusSegmenterTests
{
    private static ImageBuffer<float> Ramp(ImageShape shape) =>
        new(Enumerable.Range(0, (int)shape.Length).Select(i => (float)(i * 37 % 101)).ToArray(), shape);

    [TestMethod]
    public void ImagesBelowTheNetworksMinimumArePaddedAndCroppedBack()
    {
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        var segmenter = new NucleusSegmenter(model);
        foreach (var (h, w) in new[] { (1, 1), (2, 2), (4, 4), (3, 9), (7, 5) })
        {
            var result = segmenter.Segment(Ramp(ImageShape.Of2D(h, w)), $"{h}x{w}");
            Assert.AreEqual(ImageShape.Of2D(h, w), result.Labels.Shape);
            Assert.AreEqual(ImageShape.Of2D(h, w), result.DecodedMap.Shape);
            Assert.IsTrue(result.DecodedMap.Data.All(v => v >= -1 && v <= 1), $"{h}x{w}");
        }
    }

    [TestMethod]
    public void PaddingReflectsAndLeavesLargeEnoughImagesAlone()
    {
        var image = new ImageBuffer<float>(new float[] { 1, 2, 3, 4, 5, 6 }, ImageShape.Of2D(2, 3));
        var padded = MinimumSizePadding.Pad(image, 5);
        Assert.AreEqual(ImageShape.Of2D(5, 5), padded.Shape);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 2, 1 }, padded.Data.Take(5).ToArray(), "mirrored at the end, edge not repeated");
        CollectionAssert.AreEqual(new float[] { 4, 5, 6, 5, 4 }, padded.Data.Skip(5).Take(5).ToArray());
        CollectionAssert.AreEqual(padded.Data.Take(5).ToArray(), padded.Data.Skip(10).Take(5).ToArray(), "rows mirror as often as needed");
        CollectionAssert.AreEqual(image.Data, MinimumSizePadding.Crop(padded, image.Shape).Data);
        Assert.IsFalse(MinimumSizePadding.IsNeeded(ImageShape.Of2D(8, 8), 8));
        Assert.IsTrue(MinimumSizePadding.IsNeeded(ImageShape.Of3D(4, 8, 8), 8));
    }

    [TestMethod]
    public void TinyImagesThroughTheCommandLineExitCleanly()
    {
        using var temp = new TempFolder();
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        string zip = temp.File("model.zip");
        AdGanModelFile.Save(new MLContext(1), model, zip);
        Directory.CreateDirectory(temp.File("in"));
        foreach (int side in new[] { 1, 2, 4 })
            MicroscopyImageWriter.Write(temp.File($"in/s{side}.png"), Ramp(ImageShape.Of2D(side, side)), IntensityScaling.Raw(8));
        var log = new StringWriter();
        Assert.AreEqual(0, SegmentCommand.RunAdGan(zip, temp.File("in"), temp.File("out"), writeDecoded: true, log));
        foreach (int side in new[] { 1, 2, 4 })
            Assert.AreEqual(ImageShape.Of2D(side, side), AdGan.Evaluation.LabelMaps.Read(temp.File($"out/s{side}.png")).Shape);
    }

    [TestMethod]
    public void NonFinitePixelsAndTheWrongDimensionalityAreRefusedByName()
    {
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        var segmenter = new NucleusSegmenter(model);
        var image = Ramp(ImageShape.Of2D(16, 16));
        image.Data[3] = float.NaN;
        image.Data[5] = float.PositiveInfinity;
        image.Data[6] = float.NegativeInfinity;
        var e = Assert.ThrowsExactly<SegmentationException>(() => segmenter.Segment(image, "'cells.tif'"));
        StringAssert.Contains(e.Message, "'cells.tif'");
        StringAssert.Contains(e.Message, "1 NaN, 2 infinite");
        Assert.AreEqual("'cells.tif'", e.ImageName);
        var volume = Assert.ThrowsExactly<SegmentationException>(() => segmenter.Segment(Ramp(ImageShape.Of3D(4, 8, 8)), "stack"));
        StringAssert.Contains(volume.Message, "images (2D)");
    }

    [TestMethod]
    public void LabellingComesFromTheModelOrTheCallAndTheCallersOptionsAreCopied()
    {
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        Assert.AreEqual(AdGanLabeling.ImageBoundaryBand, model.LabelOptions.ImageBoundaryBand);
        Assert.AreNotSame(model.LabelOptions, model.LabelOptions, "a fresh copy each time");
        using var cores = model.WithSettings(model.Settings with { Decoding = AdGanDecoding.Cores, ImageBoundaryBand = 1 });
        Assert.AreEqual(InstanceLabelMode.ThreeLevel, cores.LabelOptions.Mode);
        Assert.AreEqual(1, cores.LabelOptions.ImageBoundaryBand);

        var options = new InstanceLabelOptions { MinObjectSize = 3 };
        var segmenter = new NucleusSegmenter(model, options);
        options.MinObjectSize = 99;
        Assert.AreEqual(3, segmenter.LabelOptions.MinObjectSize);
        Assert.ThrowsExactly<ArgumentException>(() => model.WithSettings(model.Settings with { Dimensions = 3 }));
        Assert.AreEqual("ImageBoundaryBand", Assert.ThrowsExactly<ArgumentException>(() => (model.Settings with { Dimensions = 3, BaseChannels = 2, ImageBoundaryBand = 2 }).Validate()).ParamName);
    }

    [TestMethod]
    public void SegmentingLeavesTheThreadCountAlone()
    {
        int threads = torch.get_num_threads();
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        new NucleusSegmenter(model).Segment(Ramp(ImageShape.Of2D(40, 40)));
        Assert.AreEqual(threads, torch.get_num_threads());
    }
}
