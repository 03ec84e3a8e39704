using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A TorchSharp function (input N=1, C=1, spatial; output of the same spatial size, one channel) as a
/// <see cref="ITileNetwork"/>: each tile becomes a tensor on the device, is padded at its end to a multiple of
/// <see cref="TiledInference.SizeMultiple"/> (reflect, or replicate where an axis is too short), run, and cropped back.
/// </summary>
internal sealed class TorchTileNetwork : ITileNetwork
{
    private readonly Func<Tensor, IInstanceNormStatistics?, Tensor> _network;
    private readonly Device _device;
    private readonly int _sizeMultiple;

    /// <summary>
    /// Wraps <paramref name="network"/>; <paramref name="poolsImageStatistics"/> says whether it passes the statistics to its
    /// normalisation layers, <paramref name="workingBytesPerPixel"/> estimates its peak memory per input pixel (0: unknown) and
    /// <paramref name="wholeImageBytesPerPixel"/> the same for an image decoded whole (0: as for a tile);
    /// tiles are padded at their ends to a multiple of <paramref name="sizeMultiple"/> (1: not padded) and the output cropped.
    /// </summary>
    public TorchTileNetwork(Func<Tensor, IInstanceNormStatistics?, Tensor> network, bool poolsImageStatistics, Device? device = null, int minimumSide = 1,
        double workingBytesPerPixel = 0, int sizeMultiple = TiledInference.SizeMultiple, double wholeImageBytesPerPixel = 0)
    {
        WholeImageBytesPerPixel = wholeImageBytesPerPixel > 0 ? wholeImageBytesPerPixel : workingBytesPerPixel;
        _sizeMultiple = sizeMultiple;
        WorkingBytesPerPixel = workingBytesPerPixel;
        _network = network ?? throw new ArgumentNullException(nameof(network));
        PoolsImageStatistics = poolsImageStatistics;
        _device = device ?? CPU;
        MinimumSide = minimumSide;
    }

    /// <inheritdoc/>
    public int MinimumSide { get; }

    /// <inheritdoc/>
    public bool PoolsImageStatistics { get; }

    /// <inheritdoc/>
    public double WorkingBytesPerPixel { get; }

    /// <inheritdoc/>
    public double WholeImageBytesPerPixel { get; }

    /// <inheritdoc/>
    /// <remarks>A TorchSharp forward pass cannot be interrupted: the tile is always finished.</remarks>
    public void DecodeTile(float[] tile, int[] extents, bool is3D, IInstanceNormStatistics? statistics, float[] decoded, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] spatial = is3D ? new long[] { extents[0], extents[1], extents[2] } : new long[] { extents[1], extents[2] };
        var input = tensor(tile, new long[] { 1, 1 }.Concat(spatial).ToArray()).to(_device);
        var padded = PadToMultiple(input, spatial, _sizeMultiple, out var pads);
        var output = _network(padded, statistics);
        if (pads.Any(p => p != 0))
            output = Crop(output, spatial);
        output.to(float32).cpu().contiguous().data<float>().CopyTo(decoded);
    }

    private static Tensor PadToMultiple(Tensor input, long[] spatial, int multiple, out long[] pads)
    {
        // Pads at the end of each axis: reflect where the axis is long enough, replicate otherwise.
        pads = new long[spatial.Length * 2];
        bool canReflect = true;
        for (int i = 0; i < spatial.Length; i++)
        {
            long extra = (multiple - spatial[i] % multiple) % multiple;
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
}
