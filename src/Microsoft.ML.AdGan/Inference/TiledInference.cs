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
/// generator's receptive field. With <see cref="TileStatistics.Image"/> a network that takes
/// <see cref="IInstanceNormStatistics"/> runs in two passes when the image needs more than one tile: the first pools every
/// normalisation layer's per-channel sums over the tiles' cores, the second normalises every tile with those image-level
/// statistics, so tiles behave like the whole image at twice the compute and with memory still bounded by a tile. The
/// statistics live in a per-call object passed down the forward call, never on the modules, so concurrent calls on one
/// model stay independent.
/// </remarks>
public static class TiledInference
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
    /// image statistics, an image of several tiles is run in <see cref="TilingOptions.StatisticsPasses"/> + 1 passes.
    /// <paramref name="cancellationToken"/> is checked before every tile (and handed to the network for the tile itself).
    /// </summary>
    internal static ImageBuffer<float> Run(ImageBuffer<float> image, ITileNetwork network, TilingOptions tiling, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tiling);
        tiling.Validate();
        var shape = image.Shape;
        var sizes = new[] { shape.Depth, shape.Height, shape.Width };
        var tileSides = new[] { shape.Is3D ? RoundUp(tiling.TileDepth) : 1, RoundUp(tiling.TileSize), RoundUp(tiling.TileSize) };
        var axes = new AxisTiles[3];
        for (int axis = 0; axis < 3; axis++)
            axes[axis] = AxisTiles.Of(sizes[axis], tileSides[axis], (int)Math.Round(tileSides[axis] * tiling.Overlap));

        var accumulated = new float[shape.Length];
        var weights = new float[shape.Length];
        var buffers = new Dictionary<(int, int, int), (float[] Tile, float[] Output)>();
        bool severalTiles = axes.Any(a => a.Count > 1);
        var statistics = tiling.Statistics == TileStatistics.Image && network.PoolsImageStatistics && severalTiles ? new ImageNormalizationStatistics() : null;
        int statisticsPasses = statistics is null ? 0 : tiling.StatisticsPasses;
        for (int pass = 0; pass <= statisticsPasses; pass++)
        {
            bool collect = pass < statisticsPasses;
            for (int iz = 0; iz < axes[0].Count; iz++)
            for (int iy = 0; iy < axes[1].Count; iy++)
            for (int ix = 0; ix < axes[2].Count; ix++)
            {
                var index = new[] { iz, iy, ix };
                var origin = new[] { axes[0].Starts[iz], axes[1].Starts[iy], axes[2].Starts[ix] };
                var extents = new[] { axes[0].Extents[iz], axes[1].Extents[iy], axes[2].Extents[ix] };
                if (!buffers.TryGetValue((extents[0], extents[1], extents[2]), out var buffer))
                {
                    int length = extents[0] * extents[1] * extents[2];
                    buffer = (new float[length], new float[length]);
                    buffers[(extents[0], extents[1], extents[2])] = buffer;
                }
                cancellationToken.ThrowIfCancellationRequested();
                CopyTile(image.Data, sizes, buffer.Tile, extents, origin);
                var context = statistics?.ForTile(Core(axes, shape.Is3D, index), collect);
                network.DecodeTile(buffer.Tile, extents, shape.Is3D, context, buffer.Output, cancellationToken);
                if (!collect)
                    Accumulate(buffer.Output, extents, axes, index, accumulated, weights, sizes, origin);
            }
            if (collect)
                statistics!.EndPass();
        }

        for (long i = 0; i < accumulated.LongLength; i++)
            accumulated[i] /= weights[i];
        return new ImageBuffer<float>(accumulated, shape, image.VoxelSize);
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

    private static void CopyTile(float[] image, int[] sizes, float[] tile, int[] extents, int[] origin)
    {
        for (int z = 0; z < extents[0]; z++)
        for (int y = 0; y < extents[1]; y++)
            Array.Copy(image, ((origin[0] + z) * sizes[1] + origin[1] + y) * sizes[2] + origin[2], tile, (z * extents[1] + y) * extents[2], extents[2]);
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
