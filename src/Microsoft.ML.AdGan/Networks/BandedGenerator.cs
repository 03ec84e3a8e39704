using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The generator's inference forward (encoder in the image style, decoder in the mask style) for one 2D image, computed so
/// that no feature map at full resolution is ever held whole and no layer holds its input and output twice: the same result as
/// the layer-by-layer forward with about a quarter of its memory, which lets a large image be decoded whole instead of in tiles.
/// </summary>
/// <remarks>
/// The layer-by-layer forward peaks where a map, the next layer's output, an instance norm's copy and the backend's reordered
/// copies are alive together. Here every convolution outside the residual blocks writes its output band by band into one
/// preallocated map while gathering the per-channel moments its AdaIN needs, and the AdaIN and ReLU then run in place. The
/// two full-resolution stages are never stored: the first (reflection pad, 7 x 7 convolution, AdaIN, ReLU) is computed band
/// by band twice, once for its moments and once as the input of the stride-2 convolution that reads it; the last
/// (transposed convolution, AdaIN, ReLU, reflection pad, 7 x 7 convolution) likewise. Recomputing those two convolutions
/// costs about 5 % of the network's multiply-adds. A residual block holds its input and its two convolutions' outputs.
/// </remarks>
internal static class BandedGenerator
{
    /// <summary>About how many bytes one band's widest feature map takes.</summary>
    internal const long BandBytes = 8L << 20;

    /// <summary>Encoder layers before the residual blocks: pad, conv 7, AdaIN, ReLU, then twice conv stride 2, AdaIN, ReLU.</summary>
    private const int HeadLayers = 10;

    /// <summary>Decoder layers after the residual blocks: twice transposed conv, AdaIN, ReLU, then pad, conv 7.</summary>
    private const int TailLayers = 8;

    /// <summary>
    /// True where the banded forward computes what <see cref="AdGanNetworks.Segment(Tensor, Tensor, Tensor, IInstanceNormStatistics?)"/>
    /// computes: inference (no gradients) on one 2D float32 image on the CPU, every convolution in float32, and the layer
    /// lists of <see cref="ContentEncoder"/> and <see cref="StyleDecoder"/>.
    /// </summary>
    public static bool Supports(AdGanNetworks networks, Tensor x) =>
        !is_grad_enabled() && x.dim() == 4 && x.shape[0] == 1 && x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU &&
        networks.Options.Dimensions == 2 && networks.ComputePrecision == ComputePrecision.Float32 &&
        x.shape[2] > 3 && x.shape[3] > 3 && HasExpectedLayers(networks.Encoder.MainLayers, networks.Decoder.MainLayers);

    /// <summary>Segmentation logits G(E(x, image), mask) of one image <paramref name="x"/> (1, C, H, W), band by band.</summary>
    public static Tensor Segment(AdGanNetworks networks, Tensor x, Tensor encoderStyle, Tensor decoderStyle, long bandRows = 0)
    {
        using var scope = NewDisposeScope();
        var encoder = networks.Encoder;
        var decoder = networks.Decoder;
        var e = encoder.MainLayers;
        var d = decoder.MainLayers;
        long height = x.shape[2];

        // Encoder: the full-resolution stage only as the input rows of the first stride-2 convolution.
        var first = (Convolution)e[1];
        var firstMoments = MomentsOf((from, to) => ReflectedConvolution(x, first, from, to), height, BandHeight(bandRows, first.OutputChannels, x.shape[3]));
        var (factor, offset) = Affine(encoder, 2, encoderStyle).Of(firstMoments);
        Rows normalisedFirst = (from, to) => ReflectedConvolution(x, first, from, to).mul_(factor).add_(offset, Scalars.One).relu_();
        var half = Strided(normalisedFirst, height, x.shape[3], (Convolution)e[4], Affine(encoder, 5, encoderStyle), bandRows);
        var quarter = Strided((from, to) => half.narrow(2, from, to - from), half.shape[2], half.shape[3], (Convolution)e[7], Affine(encoder, 8, encoderStyle), bandRows);
        half.Dispose();
        var content = Residuals(encoder, HeadLayers, e.Count, quarter, encoderStyle, bandRows);

        int tail = d.Count - TailLayers;
        var features = Residuals(decoder, 0, tail, content, decoderStyle, bandRows);
        var up = (TransposedConvolution)d[tail];
        var upsampled = Produce(2 * features.shape[2], 2 * features.shape[3], up.OutputChannels, bandRows, (o0, o1) => TransposedRows(features, up, o0, o1),
            Affine(decoder, tail + 1, decoderStyle));
        features.Dispose();
        var logits = DecoderTail(upsampled, (TransposedConvolution)d[tail + 3], Affine(decoder, tail + 4, decoderStyle), (Convolution)d[tail + 7], bandRows);
        return scope.MoveToOuter(logits);
    }

    /// <summary>
    /// Residual blocks [<paramref name="first"/>, <paramref name="end"/>) of <paramref name="network"/> on <paramref name="x"/>
    /// (which they consume): each convolution band by band, its AdaIN (and ReLU after the first) in place, the skip sum in place.
    /// </summary>
    private static Tensor Residuals(StyledNetwork network, int first, int end, Tensor x, Tensor style, long bandRows)
    {
        for (int i = first; i < end; i++)
        {
            var block = (ResidualBlock)network.MainLayers[i];
            var blockStyle = network.LayerStyle(style, i);
            var firstStyle = blockStyle.narrow(1, 0, block.FirstNorm.StyleLength);
            var secondStyle = blockStyle.narrow(1, block.FirstNorm.StyleLength, block.SecondNorm.StyleLength);
            long height = x.shape[2], width = x.shape[3];
            var input = x;
            var h = Produce(height, width, block.Channels, bandRows, (r0, r1) => ReflectedConvolution(input, block.FirstConvolution, r0, r1),
                new AdaInAffine(block.FirstNorm, firstStyle));
            var output = Produce(height, width, block.Channels, bandRows, (r0, r1) => ReflectedConvolution(h, block.SecondConvolution, r0, r1),
                new AdaInAffine(block.SecondNorm, secondStyle), rectify: false);
            h.Dispose();
            output.add_(x, Scalars.One);
            x.Dispose();
            x = output;
        }
        return x;
    }

    private static bool HasExpectedLayers(IReadOnlyList<nn.Module> e, IReadOnlyList<nn.Module> d) =>
        e.Count > HeadLayers && d.Count > TailLayers &&
        e.Skip(HeadLayers).All(IsResidual) && d.Take(d.Count - TailLayers).All(IsResidual) &&
        e[0] is ReflectionPad2d && e[1] is Convolution { Stride: [1, 1], Padding: [0, 0] } && e[2] is AdaptiveInstanceNorm && e[3] is ReLU &&
        IsStrided(e[4]) && e[5] is AdaptiveInstanceNorm && e[6] is ReLU && IsStrided(e[7]) && e[8] is AdaptiveInstanceNorm && e[9] is ReLU &&
        d[^8] is TransposedConvolution && d[^7] is AdaptiveInstanceNorm && d[^6] is ReLU &&
        d[^5] is TransposedConvolution && d[^4] is AdaptiveInstanceNorm && d[^3] is ReLU && d[^2] is ReflectionPad2d &&
        d[^1] is Convolution { Stride: [1, 1], Padding: [0, 0] };

    private static bool IsResidual(nn.Module layer) =>
        layer is ResidualBlock block && block.FirstConvolution is { Stride: [1, 1], Padding: [0, 0] } && block.SecondConvolution is { Stride: [1, 1], Padding: [0, 0] };

    private static bool IsStrided(nn.Module layer) =>
        layer is Convolution { Stride: [2, 2], Padding: [1, 1] } convolution && convolution.Weight.shape[2] == 3 && convolution.Weight.shape[3] == 3;

    /// <summary>Rows [from, to) of a map, computed or cut from a stored one.</summary>
    private delegate Tensor Rows(long from, long to);

    /// <summary>Where an AdaIN takes its style and how it normalises, once its moments are known.</summary>
    private readonly record struct AdaInAffine(AdaptiveInstanceNorm Norm, Tensor Style)
    {
        /// <summary>Factor and offset (1, C, 1, 1) that turn a map with these moments into the AdaIN's output.</summary>
        public (Tensor Factor, Tensor Offset) Of(ChannelMoments moments)
        {
            var (scale, shift) = Norm.ScaleAndShift(Style);
            var factor = moments.InverseDeviation(AdaptiveInstanceNorm.Epsilon).mul(scale);
            return (factor, shift.sub(moments.Mean().mul(factor)));
        }
    }

    private static AdaInAffine Affine(StyledNetwork network, int index, Tensor style) =>
        new((AdaptiveInstanceNorm)network.MainLayers[index], network.LayerStyle(style, index));

    /// <summary>A convolution (kernel 3, stride 2, zero padding 1) of the map whose rows <paramref name="input"/> gives, then its AdaIN and ReLU in place.</summary>
    private static Tensor Strided(Rows input, long height, long width, Convolution down, AdaInAffine norm, long bandRows) =>
        Produce((height - 1) / 2 + 1, (width - 1) / 2 + 1, down.OutputChannels, bandRows, (o0, o1) =>
        {
            // Output rows [o0, o1) read input rows [2 o0 - 1, 2 o1); rows outside the map are the convolution's zero padding.
            long from = Math.Max(0, 2 * o0 - 1), to = Math.Min(height, 2 * o1);
            var padded = nn.functional.pad(input(from, to), new[] { 0L, 0, from - (2 * o0 - 1), 2 * o1 - to });
            return nn.functional.conv2d(padded, down.Weight, down.Bias, new[] { 2L, 2 }, new[] { 0L, 1 });
        }, norm);

    /// <summary>
    /// A (1, <paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>) map written band by band from
    /// <paramref name="rows"/>, then normalised by <paramref name="norm"/> with the moments gathered on the way and (unless
    /// <paramref name="rectify"/> is false) rectified, in place.
    /// </summary>
    private static Tensor Produce(long height, long width, long channels, long bandRows, Rows rows, AdaInAffine norm, bool rectify = true)
    {
        var output = empty(new[] { 1, channels, height, width }, ScalarType.Float32);
        var moments = new ChannelMoments();
        long step = BandHeight(bandRows, channels, width);
        for (long r0 = 0; r0 < height; r0 += step)
        {
            using var band = NewDisposeScope();
            long r1 = Math.Min(height, r0 + step);
            var values = rows(r0, r1);
            moments.Add(values);
            output.narrow(2, r0, r1 - r0).copy_(values);
        }
        using var affine = NewDisposeScope();
        var (factor, offset) = norm.Of(moments);
        output.mul_(factor).add_(offset, Scalars.One);
        return rectify ? output.relu_() : output;
    }

    /// <summary>Transposed convolution, AdaIN, ReLU and the 7 x 7 convolution (reflection padded) after them, band by band.</summary>
    private static Tensor DecoderTail(Tensor y, TransposedConvolution up, AdaInAffine norm, Convolution conv, long bandRows)
    {
        long height = 2 * y.shape[2], width = 2 * y.shape[3];
        long rows = BandHeight(bandRows, up.OutputChannels, width);
        var (factor, offset) = norm.Of(MomentsOf((from, to) => TransposedRows(y, up, from, to), height, rows));
        long pad = conv.Weight.shape[2] / 2;
        var output = empty(new[] { 1, conv.OutputChannels, height, width }, ScalarType.Float32);
        for (long r0 = 0; r0 < height; r0 += rows)
        {
            using var band = NewDisposeScope();
            long r1 = Math.Min(height, r0 + rows);
            long from = Math.Max(0, r0 - pad), to = Math.Min(height, r1 + pad);
            var h = TransposedRows(y, up, from, to).mul_(factor).add_(offset, Scalars.One).relu_();
            var reflected = h.index_select(2, ReflectedRows(r0 - pad, r1 + pad, height, from));
            var padded = nn.functional.pad(reflected, new[] { pad, pad, 0, 0 }, PaddingModes.Reflect);
            output.narrow(2, r0, r1 - r0).copy_(nn.functional.conv2d(padded, conv.Weight, conv.Bias));
        }
        return output;
    }

    /// <summary>Per-channel moments of the map of <paramref name="height"/> rows that <paramref name="rows"/> computes, <paramref name="step"/> rows at a time (none stored).</summary>
    private static ChannelMoments MomentsOf(Rows rows, long height, long step)
    {
        var moments = new ChannelMoments();
        for (long r0 = 0; r0 < height; r0 += step)
        {
            using var band = NewDisposeScope();
            moments.Add(rows(r0, Math.Min(height, r0 + step)));
        }
        return moments;
    }

    /// <summary>Rows [<paramref name="r0"/>, <paramref name="r1"/>) of a convolution without padding applied to <paramref name="x"/> reflection padded by half its kernel.</summary>
    private static Tensor ReflectedConvolution(Tensor x, Convolution conv, long r0, long r1)
    {
        long pad = conv.Weight.shape[2] / 2;
        var rows = x.index_select(2, ReflectedRows(r0 - pad, r1 + pad, x.shape[2], 0));
        var padded = nn.functional.pad(rows, new[] { pad, pad, 0, 0 }, PaddingModes.Reflect);
        return nn.functional.conv2d(padded, conv.Weight, conv.Bias);
    }

    /// <summary>
    /// Rows [<paramref name="o0"/>, <paramref name="o1"/>) of the transposed convolution (kernel 3, stride 2, padding 1, output
    /// padding 1) of <paramref name="y"/>, from the input rows they depend on.
    /// </summary>
    private static Tensor TransposedRows(Tensor y, TransposedConvolution up, long o0, long o1)
    {
        // Without row padding, local output row t of input rows [a, b) is global row t + 2a - 1; row g reads input rows
        // floor((g - 1) / 2) to floor((g + 1) / 2).
        long a = Math.Max(0, (o0 - 1) >> 1), b = Math.Min(y.shape[2], (o1 >> 1) + 1);
        var slab = y.narrow(2, a, b - a);
        var full = nn.functional.conv_transpose2d(slab, up.Weight, up.Bias, new[] { 2L, 2 }, new[] { 0L, 1 }, new[] { 0L, 1 }, new[] { 1L, 1 }, 1);
        return full.narrow(2, o0 - 2 * a + 1, o1 - o0);
    }

    /// <summary>Indices, relative to row <paramref name="origin"/>, of rows [<paramref name="from"/>, <paramref name="to"/>) of an axis of <paramref name="length"/> reflected at both ends.</summary>
    private static Tensor ReflectedRows(long from, long to, long length, long origin)
    {
        var indices = new long[to - from];
        for (long i = from; i < to; i++)
            indices[i - from] = (i < 0 ? -i : i >= length ? 2 * (length - 1) - i : i) - origin;
        return tensor(indices);
    }

    /// <summary>Band height: <paramref name="requested"/> when positive, else as many rows of a <paramref name="channels"/>-channel map as <see cref="BandBytes"/> holds (at least 8).</summary>
    private static long BandHeight(long requested, long channels, long width) =>
        requested > 0 ? requested : Math.Max(8, BandBytes / (channels * width * sizeof(float)));

    /// <summary>Per-channel mean and biased variance of a (1, C, H, W) map given band by band, accumulated in float64.</summary>
    private sealed class ChannelMoments
    {
        private double[]? _sum;
        private double[]? _squares;
        private long _count;

        public void Add(Tensor band)
        {
            using var scope = NewDisposeScope();
            var values = band.to_type(ScalarType.Float64);
            var sum = values.sum(new long[] { 0, 2, 3 }).data<double>().ToArray();
            var squares = values.mul(values).sum(new long[] { 0, 2, 3 }).data<double>().ToArray();
            _sum ??= new double[sum.Length];
            _squares ??= new double[sum.Length];
            for (int c = 0; c < sum.Length; c++)
            {
                _sum[c] += sum[c];
                _squares[c] += squares[c];
            }
            _count += band.shape[2] * band.shape[3];
        }

        public Tensor Mean() => Broadcast(_sum!.Select(s => s / _count));

        public Tensor InverseDeviation(double epsilon) =>
            Broadcast(_sum!.Select((s, c) => 1 / Math.Sqrt(Math.Max(0, _squares![c] / _count - s / _count * (s / _count)) + epsilon)));

        private static Tensor Broadcast(IEnumerable<double> values)
        {
            var array = values.Select(v => (float)v).ToArray();
            return tensor(array).reshape(1, array.Length, 1, 1);
        }
    }
}
