using System.Text.Json;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using Onnx;

namespace Microsoft.ML.AdGan.Tests.Deployment;

[TestClass]
public sealed class OnnxExportTests
{
    private const float Tolerance = 1e-4f;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>A seeded (untrained) model whose styles and weights are all non-trivial; one tile covers every test image.</summary>
    internal static AdGanSegmentationModel SeededModel(int dimensions, int baseChannels = 4, long seed = 3)
    {
        var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = baseChannels, Dimensions = dimensions, StyleMlpWidth = 8, Seed = seed });
        var settings = new AdGanInferenceSettings
        {
            BaseChannels = baseChannels,
            StyleMlpWidth = 8,
            Dimensions = dimensions,
            Tiling = new TilingOptions { TileSize = 128, TileDepth = 64 },
            TrainedSemiAxis = 9.5,
        };
        return new AdGanSegmentationModel(networks, settings);
    }

    internal static ImageBuffer<float> Tile(ImageShape shape, int seed = 1)
    {
        var random = new Random(seed);
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(Math.Sin(i * 0.21 + seed) * 0.6 + random.NextDouble() * 0.4 - 0.2);
        return new ImageBuffer<float>(data, shape);
    }

    private float MaxDifference(AdGanSegmentationModel model, OnnxSegmentationNetwork network, ImageShape shape)
    {
        var tile = Tile(shape);
        var expected = model.DecodeNormalized(tile).Data;
        var actual = network.Decode(tile.Data, shape.Depth, shape.Height, shape.Width);
        Assert.HasCount(expected.Length, actual);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        double unsaturated = expected.Count(v => Math.Abs(v) < 0.9f) / (double)expected.Length;
        TestContext.WriteLine($"{shape}: max |ONNX - TorchSharp| = {max:E2}; decoded in [{expected.Min():F3}, {expected.Max():F3}], {unsaturated:P0} below 0.9 in magnitude");
        Assert.IsGreaterThan(0.1, unsaturated, "the comparison must not hide behind a saturated tanh");
        return max;
    }

    private static OnnxSegmentationNetwork Exported(AdGanSegmentationModel model)
    {
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(model, memory);
        return new OnnxSegmentationNetwork(memory.ToArray(), "exported", new OnnxSegmentationNetworkOptions { Threads = 1 });
    }

    [TestMethod]
    public void ExportedImageNetworkDecodesLikeTorchSharpAtEverySize()
    {
        using var model = SeededModel(2);
        using var network = Exported(model);
        Assert.AreEqual(2, network.Dimensions);
        foreach (var shape in new[] { ImageShape.Of2D(32, 32), ImageShape.Of2D(37, 50), ImageShape.Of2D(13, 18), ImageShape.Of2D(61, 29), ImageShape.Of2D(96, 64), ImageShape.Of2D(9, 6) })
            Assert.IsLessThanOrEqualTo(Tolerance, MaxDifference(model, network, shape), $"{shape}");
    }

    [TestMethod]
    public void ExportedVolumeNetworkDecodesLikeTorchSharp()
    {
        using var model = SeededModel(3, baseChannels: 2);
        using var network = Exported(model);
        Assert.AreEqual(3, network.Dimensions);
        foreach (var shape in new[] { ImageShape.Of3D(8, 12, 16), ImageShape.Of3D(9, 13, 10) })
            Assert.IsLessThanOrEqualTo(Tolerance, MaxDifference(model, network, shape), $"{shape}");
    }

    [TestMethod]
    public void ExportedTrainedNetworkDecodesLikeTorchSharp()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>(iterations: 3);
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        using var trained = trainer.Train();
        using var model = trained.WithSettings(trained.Settings with { Tiling = new TilingOptions { TileSize = 128 } });
        using var network = Exported(model);
        foreach (var shape in new[] { ImageShape.Of2D(40, 40), ImageShape.Of2D(43, 26) })
            Assert.IsLessThanOrEqualTo(Tolerance, MaxDifference(model, network, shape), $"{shape}");
    }

    [TestMethod]
    public void GraphIsMadeOfStandardOperatorsWithOneNormalisationPerAdaIn()
    {
        using var model = SeededModel(2);
        var graph = AdGanOnnxExporter.Build(model, model.Id);
        Assert.AreEqual(AdGanOnnxExporter.OpsetVersion, graph.OpsetImport.Single().Version);
        Assert.AreEqual("", graph.OpsetImport.Single().Domain);
        var ops = graph.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        TestContext.WriteLine(string.Join(", ", ops.OrderBy(o => o.Key).Select(o => $"{o.Key} x{o.Value}")));
        var allowed = new[] { "Shape", "Slice", "Mod", "Sub", "Concat", "Pad", "Conv", "ConvTranspose", "InstanceNormalization", "Relu", "Add", "Tanh", "Identity" };
        CollectionAssert.IsSubsetOf(ops.Keys.ToList(), allowed);
        // Encoder: 3 AdaIN + 4 blocks x 2; decoder: 4 blocks x 2 + 2.
        Assert.AreEqual(21, ops["InstanceNormalization"]);
        Assert.AreEqual(2, ops["ConvTranspose"]);
        Assert.AreEqual(3 + 16 + 1, ops["Conv"]);
        Assert.AreEqual(1, ops["Tanh"]);
        // Every AdaIN scale is 1 + w of the image (encoder) or mask (decoder) style.
        var style = model.Networks.Encoder.Style(AdGanDomain.Image).data<float>().ToArray();
        var scale = graph.Graph.Initializer.Single(t => t.Name == "enc.main.2.scale");
        var values = new float[scale.Dims[0]];
        Buffer.BlockCopy(scale.RawData.ToByteArray(), 0, values, 0, values.Length * sizeof(float));
        for (int c = 0; c < values.Length; c++)
            Assert.AreEqual(1f + style[values.Length + c], values[c], 0f, $"channel {c}");
    }

    [TestMethod]
    public void MetadataCarriesTheInferenceSettingsAndLabellingDefaults()
    {
        using var model = SeededModel(2);
        using var network = Exported(model);
        var settings = JsonSerializer.Deserialize<AdGanInferenceSettings>(network.InferenceSettingsJson, AdGanOnnxFormat.JsonOptions)!;
        Assert.AreEqual(JsonSerializer.Serialize(model.Settings), JsonSerializer.Serialize(settings), "settings survive the round trip");
        Assert.AreEqual(9.5, settings.TrainedSemiAxis);
        StringAssert.Contains(network.InferenceSettingsJson, "\"Mode\":\"Percentile\"", "enums are written by name");
        var labelling = JsonSerializer.Deserialize<InstanceLabelOptions>(network.Metadata[AdGanOnnxFormat.LabellingKey], AdGanOnnxFormat.JsonOptions)!;
        var expected = model.LabelOptions;
        Assert.AreEqual(expected.MinMarkerDistance, labelling.MinMarkerDistance);
        Assert.AreEqual(expected.ForegroundThreshold, labelling.ForegroundThreshold);
        Assert.AreEqual(expected.Mode, labelling.Mode);
        Assert.AreEqual(model.Id.ToString(), network.Metadata[AdGanOnnxFormat.ModelIdKey]);
        Assert.AreEqual(AdGanOnnxFormat.PerInputStatistics, network.Metadata[AdGanOnnxFormat.InstanceStatisticsKey]);
    }

    [TestMethod]
    public void RunnerRejectsMissingForeignAndMisshapenInputsNamingThem()
    {
        using var folder = new TempFolder();
        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => new OnnxSegmentationNetwork(folder.File("none.onnx")));
        StringAssert.Contains(missing.Message, "none.onnx");

        using var model = SeededModel(2);
        var foreign = AdGanOnnxExporter.Build(model, model.Id);
        foreign.MetadataProps.Clear();
        var notOurs = Assert.ThrowsExactly<InvalidDataException>(() => new OnnxSegmentationNetwork(Google.Protobuf.MessageExtensions.ToByteArray(foreign), "foreign.onnx"));
        StringAssert.Contains(notOurs.Message, "foreign.onnx");

        var garbage = Assert.ThrowsExactly<InvalidDataException>(() => new OnnxSegmentationNetwork(new byte[] { 1, 2, 3, 4 }, "garbage.onnx"));
        StringAssert.Contains(garbage.Message, "garbage.onnx");

        using var network = Exported(model);
        Assert.ThrowsExactly<ArgumentException>(() => network.Decode(new float[10], 1, 4, 4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => network.Decode(new float[32], 2, 4, 4));
    }

    [TestMethod]
    public void ExportWritesAtomicallyAndReplacesAnOldFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("sub/model.onnx");
        using var model = SeededModel(2);
        AdGanOnnxExporter.Export(model, path);
        long first = new FileInfo(path).Length;
        AdGanOnnxExporter.Export(model, path);
        Assert.AreEqual(first, new FileInfo(path).Length);
        Assert.IsFalse(File.Exists(path + ".tmp"));
        using var network = new OnnxSegmentationNetwork(path);
        Assert.AreEqual(path, network.Source);
    }
}
