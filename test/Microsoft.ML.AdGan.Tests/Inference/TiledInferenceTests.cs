using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Inference;

[TestClass]
public sealed class TiledInferenceTests
{
    private static ImageBuffer<float> Ramp(ImageShape shape)
    {
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)Math.Sin(i * 0.37) + i * 1e-4f;
        return new ImageBuffer<float>(data, shape);
    }

    [TestMethod]
    public void IdentityNetworkIsReproducedExactlyAcrossTilesAndPadding()
    {
        var image = Ramp(ImageShape.Of2D(70, 83));
        var tiling = new TilingOptions { TileSize = 32, Overlap = 0.25 };
        var output = TiledInference.Run(image, x => x.clone(), tiling);
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual(image.Data[i], output.Data[i], 1e-5f, $"pixel {i}");
    }

    [TestMethod]
    public void IdentityIsReproducedForVolumes()
    {
        var image = Ramp(ImageShape.Of3D(9, 21, 30));
        var output = TiledInference.Run(image, x => x.clone(), new TilingOptions { TileSize = 12, TileDepth = 4, Overlap = 0.5 });
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual(image.Data[i], output.Data[i], 1e-5f, $"voxel {i}");
    }

    [TestMethod]
    public void NetworkSeesSidesThatAreMultiplesOfFour()
    {
        var seen = new List<long[]>();
        TiledInference.Run(Ramp(ImageShape.Of2D(37, 50)), x =>
        {
            seen.Add(x.shape);
            return x.clone();
        }, new TilingOptions { TileSize = 24 });
        Assert.IsNotEmpty(seen);
        foreach (var shape in seen)
        {
            Assert.AreEqual(0, shape[2] % 4, $"height {shape[2]}");
            Assert.AreEqual(0, shape[3] % 4, $"width {shape[3]}");
        }
    }

    [TestMethod]
    public void TileStartsCoverTheAxisWithTheRequestedOverlap()
    {
        var starts = TiledInference.TileStarts(100, 32, 8);
        Assert.AreEqual(0, starts[0]);
        Assert.AreEqual(100 - 32, starts[^1]);
        for (int i = 1; i < starts.Length; i++)
            Assert.IsLessThanOrEqualTo(24, starts[i] - starts[i - 1], "gap between tiles");
        CollectionAssert.AreEqual(new[] { 0 }, TiledInference.TileStarts(20, 32, 8));
    }

    /// <summary>
    /// A network that is one instance normalisation: with image statistics its tiled output must be the image normalised
    /// by its own mean and variance (what whole-image inference computes), which no tile's statistics give.
    /// </summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ImageStatisticsNormaliseEveryTileLikeTheWholeImage(bool volume)
    {
        var shape = volume ? ImageShape.Of3D(11, 26, 31) : ImageShape.Of2D(30, 83);   // 30 < tile: padded to 32, padding left out
        var image = Ramp(shape);
        for (int i = 0; i < image.Data.Length; i++)
            image.Data[i] += 0.002f * (i % shape.Width) * (i / shape.Width % shape.Height);   // a trend: tiles differ in mean
        var tiling = new TilingOptions { TileSize = volume ? 12 : 32, TileDepth = 4, Overlap = 0.25, Statistics = TileStatistics.Image };
        int calls = 0;
        bool expectStatistics = true;
        Tensor Network(Tensor x, IInstanceNormStatistics? statistics)
        {
            calls++;
            if (!expectStatistics)
                return x.sub(x.mean()).div(x.var(unbiased: false).add(AdaptiveInstanceNorm.Epsilon).sqrt());
            Assert.IsNotNull(statistics, "several tiles: statistics are passed");
            return statistics.Normalize(x, AdaptiveInstanceNorm.Epsilon);
        }
        var output = TiledInference.Run(image, Network, tiling);

        double mean = image.Data.Average(v => (double)v);
        double variance = image.Data.Average(v => ((double)v - mean) * ((double)v - mean));
        double scale = 1 / Math.Sqrt(variance + AdaptiveInstanceNorm.Epsilon);
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual((image.Data[i] - mean) * scale, output.Data[i], 2e-4, $"pixel {i}");
        int tiles = TileCount(shape, tiling);
        Assert.AreEqual(2 * tiles, calls, "one statistics pass and one output pass");

        expectStatistics = false;
        var perTile = TiledInference.Run(image, Network, tiling with { Statistics = TileStatistics.Tile });
        double worst = image.Data.Select((v, i) => Math.Abs((v - mean) * scale - perTile.Data[i])).Max();
        Assert.IsGreaterThan(0.05, worst, "per-tile statistics differ from the image's (else this test could not fail)");
    }

    [TestMethod]
    public void OneTileNeedsNoStatisticsPass()
    {
        int calls = 0;
        TiledInference.Run(Ramp(ImageShape.Of2D(30, 30)), (Tensor x, IInstanceNormStatistics? statistics) =>
        {
            calls++;
            Assert.IsNull(statistics, "a single tile is normalised with its own (the whole image's) statistics");
            return x.clone();
        }, new TilingOptions { TileSize = 32, Statistics = TileStatistics.Image });
        Assert.AreEqual(1, calls);
    }

    [TestMethod]
    public void ExtraStatisticsPassesRunTheTilesAgain()
    {
        var image = Ramp(ImageShape.Of2D(50, 50));
        var tiling = new TilingOptions { TileSize = 24, Overlap = 0.25, Statistics = TileStatistics.Image, StatisticsPasses = 3 };
        int calls = 0;
        TiledInference.Run(image, (Tensor x, IInstanceNormStatistics? statistics) =>
        {
            calls++;
            return statistics!.Normalize(x, 1e-5);
        }, tiling);
        Assert.AreEqual(4 * TileCount(image.Shape, tiling), calls);
    }

    /// <summary>
    /// Inference holds garbage collection off per image, not per tile: starting a no-GC region costs a blocking collection,
    /// so decoding an image of many tiles must not cost one collection per tile.
    /// </summary>
    [TestMethod]
    public void AnImageOfManyTilesCostsFewBlockingCollections()
    {
        var image = Ramp(ImageShape.Of2D(200, 200));
        var tiling = new TilingOptions { TileSize = 16, Overlap = 0.25 };
        int tiles = TileCount(image.Shape, tiling);
        Assert.IsGreaterThanOrEqualTo(100, tiles);
        TiledInference.Run(image, x => x.clone(), tiling);   // warm-up
        int before = GC.CollectionCount(2);
        TiledInference.Run(image, x => x.clone(), tiling);
        int collections = GC.CollectionCount(2) - before;
        Console.WriteLine($"{collections} full collections for {tiles} tiles");
        Assert.IsLessThan(10, collections, $"{collections} full collections for {tiles} tiles");
    }

    private static int TileCount(ImageShape shape, TilingOptions tiling)
    {
        int Count(int length, int side) => TiledInference.TileStarts(length, Math.Min(TiledInference.RoundUp(side), length), (int)Math.Round(TiledInference.RoundUp(side) * tiling.Overlap)).Length;
        return (shape.Is3D ? Count(shape.Depth, tiling.TileDepth) : 1) * Count(shape.Height, tiling.TileSize) * Count(shape.Width, tiling.TileSize);
    }

    [TestMethod]
    public void InvalidTilingIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TilingOptions { Overlap = 0.9 }.Validate());
        Assert.AreEqual("Overlap", e.ParamName);
        var passes = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TilingOptions { StatisticsPasses = 0 }.Validate());
        Assert.AreEqual("StatisticsPasses", passes.ParamName);
    }
}
