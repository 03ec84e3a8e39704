using AdGan.Samples.Onnx;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Tests.Deployment;

namespace Microsoft.ML.AdGan.Tests.Samples;

[TestClass]
public sealed class OnnxSampleTests
{
    [TestMethod]
    public void ApplyOnnxModelDecodesLikeTheOnnxSegmentationNetwork()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        using (var model = OnnxExportTests.SeededModel(2))
            AdGanOnnxExporter.Export(model, path);
        var tiles = new[] { OnnxExportTests.Tile(ImageShape.Of2D(20, 28), seed: 1).Data, OnnxExportTests.Tile(ImageShape.Of2D(20, 28), seed: 2).Data };

        var viaMlNet = OnnxSample.Decode(new MLContext(1), path, tiles, 20, 28);

        using var network = new OnnxSegmentationNetwork(path);
        Assert.HasCount(2, viaMlNet);
        for (int t = 0; t < tiles.Length; t++)
        {
            var expected = network.Decode(tiles[t], 1, 20, 28);
            Assert.HasCount(expected.Length, viaMlNet[t]);
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], viaMlNet[t][i], 1e-6f, $"tile {t}, pixel {i}");
        }

        CollectionAssert.AreNotEqual(viaMlNet[0], viaMlNet[1], "each row is decoded from its own tile");
    }

    [TestMethod]
    public void TheSampleSegmentsAnImageAsTheLibraryDoesWithOneTile()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        var image = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(48, 56), SemiAxis = (5, 7), CountPerImage = (3, 5), Seed = 3 }).Simulate(0).Image;
        using var model = OnnxExportTests.SeededModel(2);
        AdGanOnnxExporter.Export(model, path);

        var (decoded, labels) = OnnxSample.Segment(new MLContext(1), path, image);

        // One tile covers the image, so the library's image-level statistics are this input's own.
        var expected = new NucleusSegmenter(model).Segment(image);
        for (int i = 0; i < decoded.Data.Length; i++)
            Assert.AreEqual(expected.DecodedMap.Data[i], decoded.Data[i], 1e-4f, $"pixel {i}");
        Assert.AreEqual(image.Shape, labels.Shape);
        int differing = expected.Labels.Data.Zip(labels.Data).Count(p => p.First != p.Second);
        Assert.IsLessThanOrEqualTo(expected.Labels.Data.Length / 100, differing, "labels agree but for pixels whose decoded value lies at a threshold");
    }
}
