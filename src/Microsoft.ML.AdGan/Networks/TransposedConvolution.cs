using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// A 2D or 3D transposed convolution, kernel 3, stride 2, padding 1, output padding 1 (parameters <c>weight</c> of shape
/// (in, out, k...) and <c>bias</c>, as nn.ConvTranspose2d/3d), with the same precision switch and the same bfloat16
/// guards as <see cref="Convolution"/>: filters padded to 16 output channels, float32 for 3D or when the input channels are not a multiple of 16.
/// </summary>
internal sealed class TransposedConvolution : nn.Module<Tensor, Tensor>, IPrecisionLayer
{
    private const long Kernel = 3;
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[] _outputPadding;
    private readonly long[] _dilation;

    public TransposedConvolution(int dimensions, long input, long output) : base(nameof(TransposedConvolution))
    {
        Layers.CheckDimensions(dimensions);
        Dimensions = dimensions;
        InputChannels = input;
        OutputChannels = output;
        var shape = new long[2 + dimensions];
        shape[0] = input;
        shape[1] = output;
        for (var i = 2; i < shape.Length; i++) shape[i] = Kernel;
        // PyTorch's default bound (fan-in of a transposed weight is size(1) x kernel); AdGanNetworks re-draws the reference's.
        var bound = 1.0 / Math.Sqrt(output * Math.Pow(Kernel, dimensions));
        register_parameter("weight", new Parameter(empty(shape).uniform_(-bound, bound)));
        register_parameter("bias", new Parameter(empty(output).uniform_(-bound, bound)));
        _stride = Enumerable.Repeat(2L, dimensions).ToArray();
        _padding = Enumerable.Repeat(1L, dimensions).ToArray();
        _outputPadding = Enumerable.Repeat(1L, dimensions).ToArray();
        _dilation = Enumerable.Repeat(1L, dimensions).ToArray();
    }

    public int Dimensions { get; }

    public long InputChannels { get; }

    public long OutputChannels { get; }

    public ComputePrecision Precision { get; set; }

    /// <summary>Stride along each spatial axis (read by the ONNX export).</summary>
    internal IReadOnlyList<long> Stride => _stride;

    /// <summary>Padding removed at both ends of each spatial axis (read by the ONNX export).</summary>
    internal IReadOnlyList<long> Padding => _padding;

    /// <summary>Extra output size at the end of each spatial axis (read by the ONNX export).</summary>
    internal IReadOnlyList<long> OutputPadding => _outputPadding;

    internal Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("The transposed convolution lost its weight.");

    internal Parameter Bias => get_parameter("bias") ?? throw new InvalidOperationException("The transposed convolution lost its bias.");

    public override Tensor forward(Tensor x)
    {
        if (!Convolution.UsesBFloat16(Precision, Dimensions, InputChannels, x))
            return Convolve(x, Weight, Bias);
        using var scope = NewDisposeScope();
        var weight = Weight.to_type(ScalarType.BFloat16);
        var extra = (Convolution.SafeChannelMultiple - OutputChannels % Convolution.SafeChannelMultiple) % Convolution.SafeChannelMultiple;
        if (extra != 0)
        {
            var zeroShape = (long[])weight.shape.Clone();
            zeroShape[1] = extra;
            weight = cat(new Tensor[] { weight, zeros(zeroShape, weight.dtype, weight.device) }, 1);
        }
        var y = Convolve(x.to_type(ScalarType.BFloat16), weight, null);
        if (extra != 0) y = y.narrow(1, 0, OutputChannels);
        var broadcast = new long[2 + Dimensions];
        Array.Fill(broadcast, 1L);
        broadcast[1] = OutputChannels;
        return scope.MoveToOuter(y.to_type(ScalarType.Float32).add(Bias.reshape(broadcast), Scalars.One));
    }

    private Tensor Convolve(Tensor x, Tensor weight, Tensor? bias) =>
        Dimensions == 2
            ? nn.functional.conv_transpose2d(x, weight, bias, _stride, _padding, _outputPadding, _dilation, 1)
            : nn.functional.conv_transpose3d(x, weight, bias, _stride, _padding, _outputPadding, _dilation, 1);
}
