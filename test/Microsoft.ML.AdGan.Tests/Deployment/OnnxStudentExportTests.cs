using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Tests.Persistence;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Deployment;

/// <summary>A model that segments with its student exports the student: ONNX Runtime gives TorchSharp's maps and labels.</summary>
[TestClass]
public sealed class OnnxStudentExportTests
{
    private static int s_threads;

    [ClassInitialize]
    public static void FixThreads(TestContext context)
    {
        _ = context;
        s_threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    [ClassCleanup]
    public static void RestoreThreads() => torch.set_num_threads(s_threads);

    /// <summary>A seeded model whose settings select a seeded 3-level student (channels 4, depth 3).</summary>
    internal static AdGanSegmentationModel StudentModel(StudentDecoding decoding = StudentDecoding.Peaks)
    {
        var shape = new StudentNetworkOptions { BaseChannels = 4, Depth = 3 };
        var student = new AdGanStudent(new StudentNetwork(shape, seed: 11), new AdGanStudentSettings { Network = shape, Decoding = decoding });
        using var generator = OnnxExportTests.SeededModel(2);
        var settings = generator.Settings with { Network = SegmentationNetwork.Student, Tiling = new TilingOptions { TileSize = 64 } };
        return new AdGanSegmentationModel(OnnxExportTests.SeededModel(2).Networks, settings, student: student);
    }

    private static OnnxSegmentationNetwork Export(AdGanSegmentationModel model)
    {
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(model, memory);
        return new OnnxSegmentationNetwork(memory.ToArray(), "student.onnx", new OnnxSegmentationNetworkOptions { Threads = 1 });
    }

    [TestMethod]
    public void TheExportedStudentDecodesLikeTorchSharpAtSizesThatAreNotMultiplesOfItsDownsampling()
    {
        using var model = StudentModel();
        using var network = Export(model);
        foreach (var (height, width) in new[] { (3, 5), (37, 50), (64, 64), (71, 90) })
        {
            var tile = OnnxExportTests.Tile(ImageShape.Of2D(height, width));
            float[] expected;
            using (var x = torch.tensor(tile.Data, new long[] { 1, 1, height, width }))
            using (var y = model.Student!.Segment(x))
                expected = y.contiguous().data<float>().ToArray();
            var actual = network.Decode(tile.Data, 1, height, width);
            float max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.IsLessThan(1e-5f, max, $"{height} x {width}: max |ONNX - TorchSharp| = {max:E2}");
            Assert.IsGreaterThan(1e-3, expected.Select(v => (double)v).Max() - expected.Min(), "the map is not flat");
        }
    }

    [TestMethod]
    public void TheOnnxSegmenterLabelsAsTheModelZipDoesWithTheStudentsDecoding()
    {
        foreach (var decoding in new[] { StudentDecoding.Peaks, StudentDecoding.Cores })
        {
            using var model = StudentModel(decoding);
            using var network = Export(model);
            var onnx = network.CreateSegmenter();
            Assert.AreEqual(SegmentationNetwork.Student, onnx.Settings.Network);
            Assert.AreEqual(model.LabelOptions.Mode, onnx.LabelOptions.Mode, $"{decoding}: the export records the student's labelling");
            var image = AdGanModelSerializerTests.TestImage(150, 170); // several 64-pixel tiles
            var expected = new NucleusSegmenter(model).Segment(image, "image");
            var actual = onnx.Segment(image, "image");
            float max = expected.DecodedMap.Data.Zip(actual.DecodedMap.Data, (e, a) => Math.Abs(e - a)).Max();
            Assert.IsLessThan(1e-5f, max, $"{decoding}: decoded maps differ by {max:E2}");
            CollectionAssert.AreEqual(expected.Labels.Data, actual.Labels.Data, $"{decoding}: labels");
        }
    }

    [TestMethod]
    public void TheNetworkCanBeChosenAtExportAndTheModelsIdIsKept()
    {
        using var model = StudentModel();
        using var generator = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Generator });
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(generator, memory, SegmentationNetwork.Student);
        using var network = new OnnxSegmentationNetwork(memory.ToArray(), "chosen.onnx");
        Assert.AreEqual(SegmentationNetwork.Student, network.CreateSegmenter().Settings.Network);
        Assert.AreEqual(generator.Id.ToString(), network.Metadata[AdGanOnnxFormat.ModelIdKey]);

        using var plain = OnnxExportTests.SeededModel(2);
        var e = Assert.ThrowsExactly<ArgumentException>(() => AdGanOnnxExporter.Export(plain, new MemoryStream(), SegmentationNetwork.Student));
        StringAssert.Contains(e.Message, "student");
    }

    [TestMethod]
    public void ExportingTheGeneratorOfAModelWithAStudentStillExportsTheGenerator()
    {
        using var model = StudentModel();
        using var generator = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Generator });
        using var network = Export(generator);
        Assert.AreEqual(SegmentationNetwork.Generator, network.CreateSegmenter().Settings.Network);
        var tile = OnnxExportTests.Tile(ImageShape.Of2D(40, 40));
        var expected = generator.DecodeNormalized(tile).Data;
        var actual = network.Decode(tile.Data, 1, 40, 40);
        Assert.IsLessThan(1e-4f, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max());
    }
}
