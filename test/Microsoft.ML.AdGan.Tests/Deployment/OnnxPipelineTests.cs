using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Deployment;

/// <summary>The one segmentation pipeline on ONNX Runtime gives TorchSharp's decoded maps and labels; cancellation stops it.</summary>
[TestClass]
public sealed class OnnxPipelineTests
{
    private const float Tolerance = 1e-4f;

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

    private static OnnxSegmentationNetwork Export(AdGanSegmentationModel model)
    {
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(model, memory);
        return new OnnxSegmentationNetwork(memory.ToArray(), "exported", new OnnxSegmentationNetworkOptions { Threads = 1 });
    }

    private static ImageBuffer<float> Raw(ImageShape shape, int seed)
    {
        if (shape.Is3D || shape.Height < 32)
        {
            var tile = OnnxExportTests.Tile(shape, seed);
            return new ImageBuffer<float>(tile.Data.Select(v => 1000 + 800 * v).ToArray(), shape);
        }
        return new MicroscopySimulator(new MicroscopySimulationOptions { Shape = shape, SemiAxis = (4, 8), CountPerImage = (4, 9), Seed = seed }).Simulate(0).Image;
    }

    /// <summary>
    /// TorchSharp and ONNX Runtime through <see cref="NucleusSegmenter"/>: decoded maps within 1e-4, labels identical wherever
    /// the decoded value is not within 1e-4 of a threshold. The export records image statistics; the ONNX pipeline uses
    /// per-tile statistics, so TorchSharp runs the same model with <see cref="TileStatistics.Tile"/>.
    /// </summary>
    [TestMethod]
    [DataRow(2, 150, 170, 1.0, false, DisplayName = "2D, several tiles")]
    [DataRow(2, 6, 7, 1.0, false, DisplayName = "2D, below the smallest tile (padded)")]
    [DataRow(2, 90, 100, 0.75, true, DisplayName = "2D, image scale and test-time flips")]
    [DataRow(3, 12, 40, 1.0, false, DisplayName = "3D, several tiles")]
    public void OnnxRuntimeGivesTorchSharpsMapsAndLabels(int dimensions, int side, int otherSide, double scale, bool flips)
    {
        using var seeded = OnnxExportTests.SeededModel(dimensions);
        var settings = seeded.Settings with
        {
            Tiling = new TilingOptions { TileSize = 64, TileDepth = 8, Statistics = TileStatistics.Image },
            ImageScale = scale,
            TestTimeAugmentation = flips,
        };
        using var model = seeded.WithSettings(settings);
        using var network = Export(model);
        using var perTile = model.WithSettings(settings with { Tiling = settings.Tiling with { Statistics = TileStatistics.Tile } });
        var onnx = network.CreateSegmenter();
        var torchSharp = new NucleusSegmenter(perTile);
        Assert.IsNull(onnx.Model, "the ONNX pipeline has no TorchSharp model");
        Assert.AreEqual(TileStatistics.Tile, onnx.Settings.Tiling.Statistics, "the ONNX pipeline says which statistics it uses");
        Assert.AreEqual(model.LabelOptions.ForegroundThreshold, onnx.LabelOptions.ForegroundThreshold);
        Assert.AreEqual(model.LabelOptions.Mode, onnx.LabelOptions.Mode);

        var shape = dimensions == 3 ? ImageShape.Of3D(side, otherSide, otherSide) : ImageShape.Of2D(side, otherSide);
        var image = Raw(shape, seed: side);
        var expected = torchSharp.Segment(image, "image");
        var actual = onnx.Segment(image, "image");

        Assert.AreEqual(expected.WorkingScale, actual.WorkingScale);
        float worst = 0;
        for (int i = 0; i < expected.DecodedMap.Data.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected.DecodedMap.Data[i] - actual.DecodedMap.Data[i]));
        Assert.IsLessThanOrEqualTo(Tolerance, worst, $"largest decoded difference {worst:E2}");

        var thresholds = new[] { torchSharp.LabelOptions.ForegroundThreshold, torchSharp.LabelOptions.CoreThreshold };
        int differing = 0, nearThreshold = 0;
        for (int i = 0; i < expected.Labels.Data.Length; i++)
        {
            bool near = thresholds.Any(t => Math.Abs(expected.DecodedMap.Data[i] - t) <= Tolerance);
            nearThreshold += near ? 1 : 0;
            if (expected.Labels.Data[i] != actual.Labels.Data[i] && !near)
                differing++;
        }
        Assert.AreEqual(0, differing, $"label pixels that differ away from a threshold ({nearThreshold} pixels lie within {Tolerance} of one)");
        if (nearThreshold == 0)
            CollectionAssert.AreEqual(expected.Labels.Data, actual.Labels.Data);
        Assert.IsGreaterThan(0.01f, expected.DecodedMap.Data.Max() - expected.DecodedMap.Data.Min(), "the decoded map is not constant");
    }

    /// <summary>With image statistics, TorchSharp and the ONNX pipeline differ on a multi-tile image: the comparison above can fail.</summary>
    [TestMethod]
    public void ImageStatisticsDifferFromTheOnnxPipelinesPerTileStatistics()
    {
        using var seeded = OnnxExportTests.SeededModel(2);
        using var model = seeded.WithSettings(seeded.Settings with { Tiling = new TilingOptions { TileSize = 64, Statistics = TileStatistics.Image } });
        using var network = Export(model);
        var image = Raw(ImageShape.Of2D(150, 170), seed: 5);
        var byImage = new NucleusSegmenter(model).Decode(image).Map.Data;
        var onnx = network.CreateSegmenter().Decode(image).Map.Data;
        float worst = byImage.Zip(onnx, (a, b) => Math.Abs(a - b)).Max();
        Assert.IsGreaterThan(Tolerance, worst);
    }

    [TestMethod]
    public void TiledInferenceStopsBetweenTilesOnceCancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var network = new CountingNetwork(cancelAfter: 3, cancellation);
        var image = OnnxExportTests.Tile(ImageShape.Of2D(100, 100));
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            TiledInference.Run(image, network, new TilingOptions { TileSize = 32, Statistics = TileStatistics.Tile }, cancellation.Token));
        Assert.AreEqual(3, network.Tiles, "no tile starts after the cancellation");
    }

    [TestMethod]
    public void NucleusSegmenterStopsOnCancellationOnEitherRuntime()
    {
        using var model = OnnxExportTests.SeededModel(2);
        using var network = Export(model);
        var image = Raw(ImageShape.Of2D(40, 40), seed: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        foreach (var segmenter in new[] { new NucleusSegmenter(model), network.CreateSegmenter() })
        {
            Assert.ThrowsExactly<OperationCanceledException>(() => segmenter.Segment(image, "image", cancelled.Token));
            Assert.ThrowsExactly<OperationCanceledException>(() => segmenter.Decode(image, "image", cancelled.Token));
            Assert.AreEqual(segmenter.Segment(image, "image").NucleusCount, segmenter.Segment(image, "image", CancellationToken.None).NucleusCount);
        }
    }

    /// <summary>ONNX Runtime stops inside one run when the token is cancelled while the run is going on.</summary>
    [TestMethod]
    public void AnOnnxRunStopsWithinTheTile()
    {
        using var model = OnnxExportTests.SeededModel(2, baseChannels: 8);
        using var network = Export(model);
        const int Size = 1024; // one single-threaded run of this tile lasts far longer than starting it
        var tile = OnnxExportTests.Tile(ImageShape.Of2D(Size, Size)).Data;
        var decoded = new float[tile.Length];
        // The test thread cancels (no timer that a busy thread pool could delay) once the worker is about to run; a
        // cancellation that lands before the run starts is refused by the entry check instead, so try again until one lands
        // inside the run, which only ONNX Runtime's terminate flag can stop (its message names the network).
        string? stoppedInside = null;
        for (int attempt = 0; attempt < 8 && stoppedInside is null; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            using var starting = new ManualResetEventSlim();
            var decoding = Task.Factory.StartNew(() =>
            {
                starting.Set();
                network.Decode(tile, 1, Size, Size, decoded, cancellation.Token);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            starting.Wait();
            Thread.Sleep(attempt);
            cancellation.Cancel();
            var e = Assert.ThrowsExactly<OperationCanceledException>(() => decoding.GetAwaiter().GetResult());
            if (e.Message.Contains("'exported'", StringComparison.Ordinal))
                stoppedInside = e.Message;
        }
        Assert.IsNotNull(stoppedInside, "no cancellation stopped a run that had started");
        network.Decode(tile, 1, Size, Size, decoded, CancellationToken.None); // the network stays usable
    }

    [TestMethod]
    public void ExportsWithSettingsThatDisagreeWithTheGraphAreRefusedNamingTheFile()
    {
        using var model = OnnxExportTests.SeededModel(2);
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(model, memory);
        var proto = Onnx.ModelProto.Parser.ParseFrom(memory.ToArray());
        var entry = proto.MetadataProps.First(p => p.Key == AdGanOnnxFormat.InferenceSettingsKey);
        entry.Value = entry.Value.Replace("\"Dimensions\":2", "\"Dimensions\":3", StringComparison.Ordinal);
        Assert.Contains("\"Dimensions\":3", entry.Value, "the settings were edited");
        using var network = new OnnxSegmentationNetwork(Google.Protobuf.MessageExtensions.ToByteArray(proto), "edited.onnx");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => network.CreateSegmenter());
        StringAssert.Contains(e.Message, "edited.onnx");
    }

    private sealed class CountingNetwork(int cancelAfter, CancellationTokenSource cancellation) : ITileNetwork
    {
        public int Tiles { get; private set; }

        public int MinimumSide => 8;

        public bool PoolsImageStatistics => false;

        public double WorkingBytesPerPixel => 0;

        public double WholeImageBytesPerPixel => 0;

        public void DecodeTile(float[] tile, int[] extents, bool is3D, IInstanceNormStatistics? statistics, float[] decoded, CancellationToken cancellationToken)
        {
            Tiles++;
            Array.Copy(tile, decoded, tile.Length);
            if (Tiles == cancelAfter)
                cancellation.Cancel();
        }
    }
}
