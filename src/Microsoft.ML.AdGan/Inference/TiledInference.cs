using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Runs a fully convolutional network over an image or volume of any size in overlapping tiles and blends the
/// outputs, so memory depends on the tile size, not the image size.
/// </summary>
/// <remarks>
/// Tiles start on the 4-pixel grid of the network's two stride-2 stages (the last one ends at the image's end and is padded
/// as the whole image is), so a tile computes what the whole image computes wherever its borders are out of reach. Towards
/// a neighbour, the outer <see cref="DiscardedFraction"/> of the overlap gets no weight and the rest is blended linearly
/// with the neighbour; see <see cref="TilingOptions"/> for the default that keeps every kept pixel outside the reach of the
/// generator's receptive field. With <see cref="TileStatistics.Image"/> tiles grow from <see cref="TilingOptions.TileSize"/> to
/// what <see cref="TilingOptions.MemoryBudgetMiB"/> allows (the whole image when it fits, which is then decoded exactly as
/// one), keeping the overlap in pixels. A network that takes <see cref="IInstanceNormStatistics"/> then runs in two passes
/// when the image needs more than one tile: a statistics pass over a sample of tiles of <see cref="TilingOptions.TileSize"/>
/// (<see cref="TilingOptions.StatisticsSample"/> of them, spread evenly) pools every normalisation layer's per-channel sums
/// over the tiles' cores, and the output pass normalises every tile with those image-level statistics, so tiles behave like
/// the whole image at a fraction of a second forward and with memory still bounded by a tile. The statistics live in a
/// per-call object passed down the forward call, never on the modules, so concurrent calls on one
/// model stay independent.
/// </remarks>
internal static class TiledInference
{
    /// <summary>Side lengths must be multiples of this (two stride-2 stages in the encoder).</summary>
    public const int SizeMultiple = 4;

    /// <summary>
    /// Applies <paramref name="network"/> (input N=1, C=1, spatial; output of the same spatial size, one channel)
    /// to every tile of <paramref name="image"/> and returns the blended output at the image's size. The network has no
    /// normalisation hook, so every tile is processed once whatever <see cref="TilingOptions.Statistics"/> says.
    /// </summary>
    public static ImageBuffer<float> Run(ImageBuffer<float> image, Func<Tensor, Tensor> network, TilingOptions tiling, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Run(image, new TorchTileNetwork((x, _) => network(x), poolsImageStatistics: false, device), tiling);
    }

    /// <summary>
    /// Applies <paramref name="network"/> to every tile as above, passing it the instance-normalisation statistics each
    /// tile must use (null: the tile's own), chosen by <see cref="TilingOptions.Statistics"/>.
    /// </summary>
    public static ImageBuffer<float> Run(ImageBuffer<float> image, Func<Tensor, IInstanceNormStatistics?, Tensor> network, TilingOptions tiling, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Run(image, new TorchTileNetwork(network, poolsImageStatistics: true, device), tiling);
    }

    /// <summary>
    /// Decodes every tile of <paramref name="image"/> (normalised, at the working scale) with <paramref name="network"/> and
    /// returns the blended decoded map at the image's size; with <see cref="TileStatistics.Image"/> and a network that pools
    /// image statistics, an image of several tiles is run in <see cref="TilingOptions.StatisticsPasses"/> passes over a sample
    /// of tiles, then one over all tiles.
    /// <paramref name="cancellationToken"/> is checked before every tile (and handed to the network for the tile itself).
    /// </summary>
    internal static ImageBuffer<float> Run(ImageBuffer<float> image, ITileNetwork network, TilingOptions tiling, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tiling);
        tiling.Validate();
        var shape = image.Shape;
        var axes = Axes(shape, TileSides(shape, network, tiling), tiling);
        bool severalTiles = axes.Any(a => a.Count > 1);
        var statistics = tiling.Statistics == TileStatistics.Image && network.PoolsImageStatistics && severalTiles
            ? GatherStatistics(image, network, tiling, cancellationToken)
            : null;
        return DecodeTiles(image, network, axes, statistics, cancellationToken);
    }

    /// <summary>
    /// The output pass: decodes every tile (normalised with <paramref name="statistics"/> when given, else with its own) and
    /// blends the tiles into the image's decoded map.
    /// </summary>
    private static ImageBuffer<float> DecodeTiles(ImageBuffer<float> image, ITileNetwork network, AxisTiles[] axes, ImageNormalizationStatistics? statistics,
        CancellationToken cancellationToken)
    {
        var shape = image.Shape;
        if (axes.All(a => a.Count == 1))
        {
            // One tile: the network reads the image and writes the result; no copies, no blending buffers.
            cancellationToken.ThrowIfCancellationRequested();
            var decoded = new float[shape.Length];
            network.DecodeTile(image.Data, new[] { shape.Depth, shape.Height, shape.Width }, shape.Is3D, null, decoded, cancellationToken);
            return new ImageBuffer<float>(decoded, shape, image.VoxelSize);
        }
        var accumulated = new float[shape.Length];
        var weights = new float[shape.Length];
        var buffers = new TileBuffers(image, axes);
        foreach (var index in AllTiles(axes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tile = buffers.Load(index);
            network.DecodeTile(tile.Input, tile.Extents, shape.Is3D, statistics?.ForTile(Core(axes, shape.Is3D, index), collect: false), tile.Output, cancellationToken);
            Accumulate(tile.Output, tile.Extents, axes, index, accumulated, weights, buffers.Sizes, tile.Origin);
        }
        for (long i = 0; i < accumulated.LongLength; i++)
            accumulated[i] /= weights[i];
        return new ImageBuffer<float>(accumulated, shape, image.VoxelSize);
    }

    /// <summary>
    /// The statistics passes: tiles of <see cref="TilingOptions.TileSize"/> (whatever size the output pass uses), of which
    /// <see cref="TilingOptions.StatisticsSample"/> spread evenly over the image, pool every normalisation layer's sums over
    /// their cores; each later pass normalises with the previous pass's statistics.
    /// </summary>
    private static ImageNormalizationStatistics GatherStatistics(ImageBuffer<float> image, ITileNetwork network, TilingOptions tiling,
        CancellationToken cancellationToken)
    {
        var shape = image.Shape;
        var axes = Axes(shape, BaseTileSides(shape, tiling), tiling);
        var sample = SampleTiles(AllTiles(axes).ToList(), tiling.StatisticsSample);
        var buffers = new TileBuffers(image, axes);
        var statistics = new ImageNormalizationStatistics();
        for (int pass = 0; pass < tiling.StatisticsPasses; pass++)
        {
            foreach (var index in sample)
            {
                var tile = buffers.Load(index);
                network.DecodeTile(tile.Input, tile.Extents, shape.Is3D, statistics.ForTile(Core(axes, shape.Is3D, index), collect: true), tile.Output, cancellationToken);
            }
            statistics.EndPass();
        }
        return statistics;
    }

    /// <summary>Fewest tiles the statistics pass samples (all of them when the image has fewer).</summary>
    public const int MinimumStatisticsTiles = 4;

    /// <summary>
    /// About <paramref name="fraction"/> of <paramref name="tiles"/> (at least <see cref="MinimumStatisticsTiles"/>), evenly
    /// spaced in raster order, so that the sample reaches every part of the image; all of them when <paramref name="fraction"/> is 1.
    /// </summary>
    internal static IReadOnlyList<int[]> SampleTiles(IReadOnlyList<int[]> tiles, double fraction)
    {
        int count = Math.Min(tiles.Count, Math.Max(MinimumStatisticsTiles, (int)Math.Ceiling(tiles.Count * fraction)));
        if (count == tiles.Count)
            return tiles;
        var sample = new int[count][];
        for (int i = 0; i < count; i++)
            sample[i] = tiles[(int)((i + 0.5) * tiles.Count / count)];
        return sample;
    }

    /// <summary>
    /// Tile sides (depth, height, width) of the output pass: <see cref="TilingOptions.TileSize"/>, or with image statistics
    /// and a <see cref="TilingOptions.MemoryBudgetMiB"/> the largest square tiles whose estimated working memory fits the
    /// budget (the whole image when it fits, by the network's whole-image estimate), evened out so that the tiles along an axis
    /// share it equally.
    /// </summary>
    internal static int[] TileSides(ImageShape shape, ITileNetwork network, TilingOptions tiling)
    {
        var sides = BaseTileSides(shape, tiling);
        if (tiling.Statistics != TileStatistics.Image || tiling.MemoryBudgetMiB == 0 || network.WorkingBytesPerPixel <= 0)
            return sides;
        double budget = tiling.MemoryBudgetMiB * 1048576.0 / Math.Min(sides[0], shape.Depth);
        int height = RoundUp(shape.Height), width = RoundUp(shape.Width);
        double wholeBytes = shape.Depth <= sides[0] ? network.WholeImageBytesPerPixel : network.WorkingBytesPerPixel;
        if ((double)height * width * wholeBytes <= budget)
            return new[] { sides[0], height, width };
        double pixels = budget / network.WorkingBytesPerPixel;
        // A side shorter than a square tile is taken whole and the other gets the rest of the budget.
        int square = (int)Math.Sqrt(pixels);
        int rows = height <= square ? height : width <= square ? (int)Math.Min(height, pixels / width) : square;
        int columns = height <= square ? (int)Math.Min(width, pixels / height) : width <= square ? width : square;
        int overlap = OverlapPixels(tiling);
        sides[1] = Math.Max(sides[1], Even(shape.Height, RoundDown(rows), overlap));
        sides[2] = Math.Max(sides[2], Even(shape.Width, RoundDown(columns), overlap));
        return sides;

        // The side of equal tiles that cover the length in as few tiles of at most maxSide as the overlap allows.
        static int Even(int length, int maxSide, int overlap)
        {
            if (maxSide >= length)
                return RoundUp(length);
            if (maxSide <= overlap)
                return maxSide;
            int count = (int)Math.Ceiling((double)(length - overlap) / (maxSide - overlap));
            return Math.Min(maxSide, RoundUp((int)Math.Ceiling((double)(length + (count - 1) * overlap) / count)));
        }
    }

    /// <summary>The tile sides (depth, height, width) <see cref="TilingOptions"/> asks for, rounded up to multiples of <see cref="SizeMultiple"/>.</summary>
    private static int[] BaseTileSides(ImageShape shape, TilingOptions tiling) =>
        new[] { shape.Is3D ? RoundUp(tiling.TileDepth) : 1, RoundUp(tiling.TileSize), RoundUp(tiling.TileSize) };

    /// <summary>Overlap between neighbouring tiles in pixels: <see cref="TilingOptions.Overlap"/> of the tile side asked for, whatever the tiles grow to.</summary>
    private static int OverlapPixels(TilingOptions tiling) => (int)Math.Round(RoundUp(tiling.TileSize) * tiling.Overlap);

    private static AxisTiles[] Axes(ImageShape shape, int[] sides, TilingOptions tiling)
    {
        var lengths = new[] { shape.Depth, shape.Height, shape.Width };
        var overlaps = new[] { (int)Math.Round(RoundUp(tiling.TileDepth) * tiling.Overlap), OverlapPixels(tiling), OverlapPixels(tiling) };
        return Enumerable.Range(0, 3).Select(axis => AxisTiles.Of(lengths[axis], sides[axis], Math.Min(overlaps[axis], sides[axis] / 2))).ToArray();
    }

    /// <summary>Tile indices (z, y, x) in raster order.</summary>
    private static IEnumerable<int[]> AllTiles(AxisTiles[] axes)
    {
        for (int iz = 0; iz < axes[0].Count; iz++)
        for (int iy = 0; iy < axes[1].Count; iy++)
        for (int ix = 0; ix < axes[2].Count; ix++)
            yield return new[] { iz, iy, ix };
    }

    /// <summary>Rounds a side length up to the next multiple of <see cref="SizeMultiple"/>.</summary>
    public static int RoundUp(int size) => (size + SizeMultiple - 1) / SizeMultiple * SizeMultiple;

    /// <summary>Rounds a side length down to a multiple of <see cref="SizeMultiple"/>.</summary>
    internal static int RoundDown(int size) => size / SizeMultiple * SizeMultiple;

    /// <summary>
    /// Tile starts along an axis of <paramref name="length"/> pixels: multiples of <see cref="SizeMultiple"/>, so every tile's
    /// stride-2 grids coincide with the whole image's, at most <paramref name="tile"/> - <paramref name="overlap"/> apart
    /// (rounded down to a multiple of 4); the last tile ends at the image's end (it may be up to 3 pixels longer than the others).
    /// </summary>
    internal static int[] TileStarts(int length, int tile, int overlap)
    {
        int stride = Math.Max(SizeMultiple, RoundDown(tile - overlap));
        var starts = new List<int> { 0 };
        while (starts[^1] + tile < length)
        {
            int next = Math.Min(starts[^1] + stride, RoundDown(length - tile));
            if (next == starts[^1])
                break;
            starts.Add(next);
        }
        return starts.ToArray();
    }

    /// <summary>
    /// Weight of each pixel of a tile along one axis: 1 in the middle and up to an image border; towards a neighbouring tile,
    /// 0 over the outer <see cref="DiscardedFraction"/> of their overlap (discarded: those pixels are nearest the tile's
    /// border, where padding replaces the neighbour's content) and a linear ramp over the middle of the overlap, where the
    /// neighbour's ramp is its complement.
    /// </summary>
    internal static float[] Window(int extent, int overlapBefore, int overlapAfter)
    {
        var window = new float[extent];
        for (int i = 0; i < extent; i++)
            window[i] = Math.Min(Side(i, overlapBefore), Side(extent - 1 - i, overlapAfter));
        return window;

        static float Side(int distance, int overlap)
        {
            if (overlap <= 0)
                return 1f;
            int margin = (int)Math.Round(overlap * DiscardedFraction);
            int ramp = overlap - 2 * margin;
            if (ramp <= 0)
                return distance >= margin ? 1f : 0f;
            return Math.Clamp((distance + 0.5f - margin) / ramp, 0f, 1f);
        }
    }

    /// <summary>
    /// Fraction of an overlap, at each end, that gets no weight from the tile whose border it touches (0.4: the middle
    /// 0.2 of the overlap is blended).
    /// </summary>
    public const double DiscardedFraction = 0.4;

    /// <summary>The tiles along one axis: starts, extents and blending windows.</summary>
    private sealed record AxisTiles(int[] Starts, int[] Extents, float[][] Windows)
    {
        public int Count => Starts.Length;

        public static AxisTiles Of(int length, int tile, int overlap)
        {
            var starts = TileStarts(length, Math.Min(tile, length), overlap);
            var extents = new int[starts.Length];
            for (int i = 0; i < starts.Length; i++)
                extents[i] = i == starts.Length - 1 ? length - starts[i] : tile;
            var windows = new float[starts.Length][];
            for (int i = 0; i < starts.Length; i++)
            {
                int before = i == 0 ? 0 : starts[i - 1] + extents[i - 1] - starts[i];
                int after = i == starts.Length - 1 ? 0 : starts[i] + extents[i] - starts[i + 1];
                windows[i] = Window(extents[i], before, after);
            }
            return new AxisTiles(starts, extents, windows);
        }
    }

    /// <summary>
    /// The core of tile (iz, iy, ix): along each axis, from the middle of its overlap with the previous tile to the middle of
    /// its overlap with the next, so the cores of all tiles partition the image. Coordinates are tile-local.
    /// </summary>
    private static ImageNormalizationStatistics.TileCore Core(AxisTiles[] axes, bool is3D, int[] index)
    {
        int first = is3D ? 0 : 1;
        int n = 3 - first;
        var low = new int[n];
        var high = new int[n];
        var length = new long[n];
        for (int axis = first; axis < 3; axis++)
        {
            var s = axes[axis].Starts;
            var e = axes[axis].Extents;
            int i = index[axis];
            int from = i == 0 ? 0 : (s[i - 1] + e[i - 1] + s[i]) / 2;
            int to = i == s.Length - 1 ? s[i] + e[i] : (s[i] + e[i] + s[i + 1]) / 2;
            low[axis - first] = from - s[i];
            high[axis - first] = to - s[i];
            length[axis - first] = RoundUp(e[i]);
        }
        return new ImageNormalizationStatistics.TileCore(low, high, length);
    }

    /// <summary>One input and one output buffer per tile size, reused from tile to tile.</summary>
    private sealed class TileBuffers(ImageBuffer<float> image, AxisTiles[] axes)
    {
        private readonly Dictionary<(int, int, int), (float[] Input, float[] Output)> _buffers = new();

        public int[] Sizes { get; } = new[] { image.Shape.Depth, image.Shape.Height, image.Shape.Width };

        /// <summary>Copies tile <paramref name="index"/> of the image into its input buffer.</summary>
        public (float[] Input, float[] Output, int[] Extents, int[] Origin) Load(int[] index)
        {
            var origin = new[] { axes[0].Starts[index[0]], axes[1].Starts[index[1]], axes[2].Starts[index[2]] };
            var extents = new[] { axes[0].Extents[index[0]], axes[1].Extents[index[1]], axes[2].Extents[index[2]] };
            var key = (extents[0], extents[1], extents[2]);
            if (!_buffers.TryGetValue(key, out var buffer))
            {
                int length = extents[0] * extents[1] * extents[2];
                buffer = (new float[length], new float[length]);
                _buffers[key] = buffer;
            }
            for (int z = 0; z < extents[0]; z++)
            for (int y = 0; y < extents[1]; y++)
                Array.Copy(image.Data, ((origin[0] + z) * Sizes[1] + origin[1] + y) * Sizes[2] + origin[2], buffer.Input, (z * extents[1] + y) * extents[2], extents[2]);
            return (buffer.Input, buffer.Output, extents, origin);
        }
    }

    private static void Accumulate(float[] output, int[] extents, AxisTiles[] axes, int[] index, float[] accumulated, float[] weights, int[] sizes, int[] origin)
    {
        var wz = axes[0].Windows[index[0]];
        var wy = axes[1].Windows[index[1]];
        var wx = axes[2].Windows[index[2]];
        for (int z = 0; z < extents[0]; z++)
        for (int y = 0; y < extents[1]; y++)
        {
            float wzy = wz[z] * wy[y];
            if (wzy == 0)
                continue;
            int src = (z * extents[1] + y) * extents[2];
            int dst = ((origin[0] + z) * sizes[1] + origin[1] + y) * sizes[2] + origin[2];
            for (int x = 0; x < extents[2]; x++)
            {
                float w = wzy * wx[x];
                accumulated[dst + x] += w * output[src + x];
                weights[dst + x] += w;
            }
        }
    }
}
