using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Runs a fully convolutional network over an image or volume of any size in overlapping tiles and blends the
/// outputs with linear ramps, so memory depends on the tile size, not the image size.
/// </summary>
/// <remarks>
/// With <see cref="TileStatistics.Image"/> a network that takes <see cref="IInstanceNormStatistics"/> runs in
/// two passes when the image needs more than one tile: the first pools every normalisation layer's per-channel sums over
/// the tiles' cores, the second normalises every tile with those image-level statistics, so tiles behave like the whole
/// image at twice the compute and with memory still bounded by a tile. The statistics live in a per-call object passed
/// down the forward call, never on the modules, so concurrent calls on one model stay independent.
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
        return Run(image, (x, _) => network(x), tiling with { Statistics = TileStatistics.Tile }, device);
    }

    /// <summary>
    /// Applies <paramref name="network"/> to every tile as above, passing it the instance-normalisation statistics each
    /// tile must use (null: the tile's own), chosen by <see cref="TilingOptions.Statistics"/>.
    /// </summary>
    public static ImageBuffer<float> Run(ImageBuffer<float> image, Func<Tensor, IInstanceNormStatistics?, Tensor> network, TilingOptions tiling, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tiling);
        tiling.Validate();
        device ??= CPU;
        var shape = image.Shape;
        var sizes = new[] { shape.Depth, shape.Height, shape.Width };
        var tileSides = new[] { shape.Is3D ? RoundUp(tiling.TileDepth) : 1, RoundUp(tiling.TileSize), RoundUp(tiling.TileSize) };
        var starts = new int[3][];
        var extents = new int[3];
        for (int axis = 0; axis < 3; axis++)
        {
            extents[axis] = Math.Min(tileSides[axis], sizes[axis]);
            int overlap = (int)Math.Round(tileSides[axis] * tiling.Overlap);
            starts[axis] = TileStarts(sizes[axis], extents[axis], overlap);
        }

        var accumulated = new float[shape.Length];
        var weights = new float[shape.Length];
        var ramps = new float[3][];
        for (int axis = 0; axis < 3; axis++)
            ramps[axis] = Ramp(extents[axis], starts[axis].Length > 1 ? (int)Math.Round(tileSides[axis] * tiling.Overlap) : 0);

        var tile = new float[extents[0] * extents[1] * extents[2]];
        var output = new float[tile.Length];
        bool severalTiles = starts.Any(s => s.Length > 1);
        var statistics = tiling.Statistics == TileStatistics.Image && severalTiles ? new ImageNormalizationStatistics() : null;
        int statisticsPasses = statistics is null ? 0 : tiling.StatisticsPasses;
        using var quiet = new Training.GcQuiet.Region();
        for (int pass = 0; pass <= statisticsPasses; pass++)
        {
            bool collect = pass < statisticsPasses;
            for (int iz = 0; iz < starts[0].Length; iz++)
            for (int iy = 0; iy < starts[1].Length; iy++)
            for (int ix = 0; ix < starts[2].Length; ix++)
            {
                int z0 = starts[0][iz], y0 = starts[1][iy], x0 = starts[2][ix];
                CopyTile(image.Data, sizes, tile, extents, z0, y0, x0);
                var context = statistics?.ForTile(Core(starts, extents, sizes, shape.Is3D, iz, iy, ix), collect);
                quiet.Renew();
                RunTile(tile, output, extents, shape.Is3D, network, context, device);
                if (!collect)
                    Accumulate(output, extents, ramps, accumulated, weights, sizes, z0, y0, x0);
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

    internal static int[] TileStarts(int length, int tile, int overlap)
    {
        if (length <= tile)
            return new[] { 0 };
        int stride = Math.Max(1, tile - overlap);
        var list = new List<int>();
        for (int s = 0; ; s += stride)
        {
            if (s + tile >= length)
            {
                list.Add(length - tile);
                break;
            }
            list.Add(s);
        }
        return list.ToArray();
    }

    private static float[] Ramp(int extent, int overlap)
    {
        var ramp = new float[extent];
        for (int i = 0; i < extent; i++)
        {
            float w = 1f;
            if (overlap > 0)
                w = Math.Min(1f, Math.Min((i + 0.5f) / overlap, (extent - i - 0.5f) / overlap));
            ramp[i] = Math.Max(w, 1e-3f);
        }
        return ramp;
    }

    private static void RunTile(float[] tile, float[] result, int[] extents, bool is3D, Func<Tensor, IInstanceNormStatistics?, Tensor> network,
        IInstanceNormStatistics? statistics, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] spatial = is3D ? new long[] { extents[0], extents[1], extents[2] } : new long[] { extents[1], extents[2] };
        var input = tensor(tile, new long[] { 1, 1 }.Concat(spatial).ToArray()).to(device);
        var padded = PadToMultiple(input, spatial, out var pads);
        var output = network(padded, statistics);
        if (pads.Any(p => p != 0))
            output = Crop(output, spatial);
        output.to(float32).cpu().contiguous().data<float>().CopyTo(result);
    }

    /// <summary>
    /// The core of tile (iz, iy, ix): along each axis, from the middle of its overlap with the previous tile to the middle of
    /// its overlap with the next, so the cores of all tiles partition the image. Coordinates are tile-local.
    /// </summary>
    private static ImageNormalizationStatistics.TileCore Core(int[][] starts, int[] extents, int[] sizes, bool is3D, int iz, int iy, int ix)
    {
        var index = new[] { iz, iy, ix };
        int first = is3D ? 0 : 1;
        int n = 3 - first;
        var low = new int[n];
        var high = new int[n];
        var length = new long[n];
        for (int axis = first; axis < 3; axis++)
        {
            var s = starts[axis];
            int i = index[axis];
            int from = i == 0 ? 0 : (s[i - 1] + extents[axis] + s[i]) / 2;
            int to = i == s.Length - 1 ? sizes[axis] : (s[i] + extents[axis] + s[i + 1]) / 2;
            low[axis - first] = from - s[i];
            high[axis - first] = to - s[i];
            length[axis - first] = RoundUp(extents[axis]);
        }
        return new ImageNormalizationStatistics.TileCore(low, high, length);
    }

    private static Tensor PadToMultiple(Tensor input, long[] spatial, out long[] pads)
    {
        // Pads at the end of each axis: reflect where the axis is long enough, replicate otherwise.
        pads = new long[spatial.Length * 2];
        bool canReflect = true;
        for (int i = 0; i < spatial.Length; i++)
        {
            long extra = RoundUp((int)spatial[i]) - spatial[i];
            pads[(spatial.Length - 1 - i) * 2 + 1] = extra;
            canReflect &= extra < spatial[i];
        }
        if (pads.All(p => p == 0))
            return input;
        return nn.functional.pad(input, pads, canReflect ? PaddingModes.Reflect : PaddingModes.Replicate);
    }

    private static Tensor Crop(Tensor output, long[] spatial)
    {
        var result = output;
        for (int i = 0; i < spatial.Length; i++)
            result = result.narrow(2 + i, 0, spatial[i]);
        return result;
    }

    private static void CopyTile(float[] image, int[] sizes, float[] tile, int[] extents, int z0, int y0, int x0)
    {
        for (int z = 0; z < extents[0]; z++)
        for (int y = 0; y < extents[1]; y++)
            Array.Copy(image, ((z0 + z) * sizes[1] + y0 + y) * sizes[2] + x0, tile, (z * extents[1] + y) * extents[2], extents[2]);
    }

    private static void Accumulate(float[] output, int[] extents, float[][] ramps, float[] accumulated, float[] weights, int[] sizes, int z0, int y0, int x0)
    {
        for (int z = 0; z < extents[0]; z++)
        for (int y = 0; y < extents[1]; y++)
        {
            float wzy = ramps[0][z] * ramps[1][y];
            int src = (z * extents[1] + y) * extents[2];
            int dst = ((z0 + z) * sizes[1] + y0 + y) * sizes[2] + x0;
            for (int x = 0; x < extents[2]; x++)
            {
                float w = wzy * ramps[2][x];
                accumulated[dst + x] += w * output[src + x];
                weights[dst + x] += w;
            }
        }
    }
}
