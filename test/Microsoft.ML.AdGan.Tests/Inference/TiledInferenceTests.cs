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
        Assert.AreEqual(100 - 32, starts[^1]);   // 68 is on the 4-pixel grid
        for (int i = 1; i < starts.Length; i++)
            Assert.IsLessThanOrEqualTo(24, starts[i] - starts[i - 1], "gap between tiles");
        CollectionAssert.AreEqual(new[] { 0 }, TiledInference.TileStarts(20, 32, 8));
    }

    /// <summary>
    /// A network that is exact only away from its input's border (it corrupts a band of 4 pixels along every side) and only
    /// equivariant to shifts by multiples of 4 (4 x 4 average pooling, then back up): the tiled output must equal the
    /// whole-image output exactly, so tiles must start on the 4-pixel grid and their borders must get no weight.
    /// </summary>
    [TestMethod]
    public void TiledOutputEqualsWholeImageOutputForANetworkWithAFiniteReach()
    {
        var image = Ramp(ImageShape.Of2D(101, 131));   // sides not multiples of 4
        static Tensor Network(Tensor x)
        {
            var y = nn.functional.interpolate(nn.functional.avg_pool2d(x, 4), scale_factor: new[] { 4.0, 4.0 }, mode: InterpolationMode.Nearest);
            long h = y.shape[2], w = y.shape[3];
            var border = ones(1, 1, h, w);
            border[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(4, h - 4), TensorIndex.Slice(4, w - 4)] = zeros(1, 1, h - 8, w - 8);
            return y + border * 1000f;
        }
        var whole = TiledInference.Run(image, Network, new TilingOptions { TileSize = 256 });
        var tiling = new TilingOptions { TileSize = 40, Overlap = 0.5 };
        Assert.IsGreaterThanOrEqualTo(9, TileCount(image.Shape, tiling), "at least 3 x 3 tiles");
        var tiled = TiledInference.Run(image, Network, tiling);
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual(whole.Data[i], tiled.Data[i], 1e-3f, $"pixel {i} (row {i / 131}, column {i % 131})");
    }

    [TestMethod]
    public void TilesStartOnTheFourPixelGridAndTheLastEndsAtTheImageEnd()
    {
        foreach (var (length, tile, overlap) in new[] { (402, 256, 128), (411, 128, 64), (103, 32, 8), (30, 32, 8) })
        {
            var starts = TiledInference.TileStarts(length, Math.Min(tile, length), overlap);
            foreach (int s in starts)
                Assert.AreEqual(0, s % TiledInference.SizeMultiple, $"start {s} of length {length}, tile {tile}");
            Assert.IsLessThanOrEqualTo(tile + 3, length - starts[^1], $"last tile of length {length}, tile {tile}");
            Assert.IsGreaterThanOrEqualTo(Math.Min(tile, length), length - starts[^1], $"last tile of length {length}, tile {tile}");
        }
    }

    [TestMethod]
    public void BlendingWindowsDiscardTheOuterPartOfEachOverlapAndSumToOne()
    {
        var window = TiledInference.Window(96, 48, 48);
        int margin = (int)Math.Round(48 * TiledInference.DiscardedFraction);
        Assert.IsGreaterThanOrEqualTo(8, margin);
        Assert.AreNotEqual(0f, window[margin + 1], "the ramp starts after the margin");
        for (int i = 0; i < margin; i++)
        {
            Assert.AreEqual(0f, window[i], $"left margin {i}");
            Assert.AreEqual(0f, window[95 - i], $"right margin {i}");
        }
        Assert.AreEqual(1f, window[48]);
        var next = TiledInference.Window(96, 48, 0);   // the next tile starts 48 pixels later and ends at the image's end
        for (int i = 48; i < 96; i++)
            Assert.AreEqual(1f, window[i] + next[i - 48], 1e-6f, $"pixel {i} of the overlap");
        Assert.AreEqual(1f, next[95], "no margin at the image's border");
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
        var tiling = new TilingOptions { TileSize = volume ? 12 : 32, TileDepth = 4, Overlap = 0.25, Statistics = TileStatistics.Image, StatisticsSample = 1 };
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
        var tiling = new TilingOptions { TileSize = 24, Overlap = 0.25, Statistics = TileStatistics.Image, StatisticsPasses = 3, StatisticsSample = 1 };
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

    [TestMethod]
    public void AnImageThatFitsTheMemoryBudgetIsDecodedWholeInOnePass()
    {
        var image = Ramp(ImageShape.Of2D(70, 83));
        var seen = new List<long[]>();
        var network = new TorchTileNetwork((x, statistics) =>
        {
            seen.Add(x.shape);
            Assert.IsNull(statistics, "one tile: its own statistics are the image's");
            return x.clone();
        }, poolsImageStatistics: true, workingBytesPerPixel: 100);
        var tiling = new TilingOptions { TileSize = 16, MemoryBudgetMiB = 1 };   // about 10,000 pixels of 100 bytes
        var output = TiledInference.Run(image, network, tiling);
        Assert.HasCount(1, seen);
        CollectionAssert.AreEqual(new long[] { 1, 1, 72, 84 }, seen[0]);
        CollectionAssert.AreEqual(image.Data, output.Data);
        int calls = 0;
        TiledInference.Run(image, new TorchTileNetwork((x, _) =>
        {
            calls++;
            return x.clone();
        }, poolsImageStatistics: true, workingBytesPerPixel: 100), tiling with { MemoryBudgetMiB = 0 });
        Assert.IsGreaterThan(1, calls, "without a budget the tiles keep TileSize");
    }

    /// <summary>
    /// A network that decodes a whole image in less memory than a tile with image statistics (the generator's banded forward)
    /// gets the whole image when that estimate fits the budget, and tiles by the tile estimate when it does not.
    /// </summary>
    [TestMethod]
    public void TheWholeImageEstimateDecidesWhetherAnImageIsDecodedWhole()
    {
        var image = Ramp(ImageShape.Of2D(144, 144));   // 20,736 pixels: 2.0 MiB at 100 bytes, 0.8 MiB at 40
        var tiling = new TilingOptions { TileSize = 32, MemoryBudgetMiB = 1 };
        int Calls(double wholeImageBytes)
        {
            int calls = 0;
            TiledInference.Run(image, new TorchTileNetwork((x, _) =>
            {
                calls++;
                return x.clone();
            }, poolsImageStatistics: true, workingBytesPerPixel: 100, wholeImageBytesPerPixel: wholeImageBytes), tiling);
            return calls;
        }
        Assert.AreEqual(1, Calls(40), "the whole image fits at 40 bytes per pixel");
        Assert.IsGreaterThan(2, Calls(0), "without a whole-image estimate the tile estimate applies: a statistics pass and several tiles");
        Assert.IsGreaterThan(2, Calls(60), "at 60 bytes per pixel the whole image does not fit");
    }

    /// <summary>
    /// An image larger than the budget: the output pass runs tiles grown beyond TileSize up to the budget, normalised with the
    /// image statistics that a pass over a sample of tiles of TileSize gathered; per-tile statistics never grow tiles.
    /// </summary>
    [TestMethod]
    public void TilesGrowToTheBudgetAndStatisticsComeFromASampleOfSmallTiles()
    {
        var image = Ramp(ImageShape.Of2D(300, 300));
        var tiling = new TilingOptions { TileSize = 32, MemoryBudgetMiB = 1, StatisticsSample = 0.125 };
        var sides = new List<long>();
        var network = new TorchTileNetwork((x, statistics) =>
        {
            Assert.IsNotNull(statistics);
            sides.Add(x.shape[2]);
            return statistics.Normalize(x, 1e-5);
        }, poolsImageStatistics: true, workingBytesPerPixel: 100);
        TiledInference.Run(image, network, tiling);
        int baseTiles = TileCount(image.Shape, tiling);
        int sampled = (int)Math.Ceiling(baseTiles * 0.125);
        var statisticsPass = sides.Take(sampled).ToList();
        var outputPass = sides.Skip(sampled).ToList();
        Assert.IsTrue(statisticsPass.All(side => side <= 32), $"the statistics pass runs {sampled} of the {baseTiles} tiles of 32: {string.Join(", ", statisticsPass)}");
        Assert.IsTrue(outputPass.All(side => side is > 32 and <= 100), $"grown output tiles: {string.Join(", ", outputPass)}");
        Assert.IsLessThan(baseTiles / 4, outputPass.Count, "far fewer output tiles than tiles of TileSize");

        int calls = 0;
        TiledInference.Run(image, new TorchTileNetwork((x, _) =>
        {
            calls++;
            Assert.IsLessThanOrEqualTo(32, x.shape[2]);
            return x.clone();
        }, poolsImageStatistics: true, workingBytesPerPixel: 100), tiling with { Statistics = TileStatistics.Tile });
        Assert.AreEqual(baseTiles, calls, "per-tile statistics depend on the tile, so tiles keep TileSize");
    }

    [TestMethod]
    public void StatisticsSamplesAreSpreadOverTheImage()
    {
        var tiles = Enumerable.Range(0, 36).Select(i => new[] { 0, i / 6, i % 6 }).ToList();
        var sample = TiledInference.SampleTiles(tiles, 0.125);
        Assert.HasCount(5, sample);
        Assert.HasCount(5, sample.Select(t => t[1]).Distinct().ToList(), "one sample tile in each of 5 rows");
        Assert.IsGreaterThan(2, sample.Select(t => t[2]).Distinct().Count(), "and in several columns");
        Assert.HasCount(36, TiledInference.SampleTiles(tiles, 1));
        Assert.HasCount(TiledInference.MinimumStatisticsTiles, TiledInference.SampleTiles(tiles, 0.001));
        Assert.HasCount(3, TiledInference.SampleTiles(tiles.Take(3).ToList(), 0.001));
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
        Assert.AreEqual("MemoryBudgetMiB", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TilingOptions { MemoryBudgetMiB = -1 }.Validate()).ParamName);
        Assert.AreEqual("StatisticsSample", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TilingOptions { StatisticsSample = 0 }.Validate()).ParamName);
    }
}
