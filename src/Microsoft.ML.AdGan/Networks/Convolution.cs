using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// A 2D or 3D convolution (parameters <c>weight</c>, <c>bias</c>, as nn.Conv2d/Conv3d) that works around a libtorch 2.10
/// CPU defect: for a float32 convolution (2D and 3D) whose output channel count is not a multiple of 16, the gradient with respect
/// to the input is wrong (even NaN). While gradients are recorded, the filters are padded with zero filters up to a
/// multiple of 16 and the extra channels dropped: the values are unchanged and every gradient is exact.
/// With <see cref="ComputePrecision.BFloat16Mixed"/> a float32 input and the weight are cast to bfloat16 for the
/// convolution itself and the result comes back as float32 (the bias is added in float32), so autograd hands float32
/// gradients to the float32 parameters. libtorch 2.10's CPU bfloat16 convolution is worse still: its output is wrong
/// whenever the output channel count is not a multiple of 16 (gradients or not), and its input gradient whenever the
/// input channel count is not. So the bfloat16 path always pads the filters to a multiple of 16, and a convolution
/// whose input channel count is not a multiple of 16 (the image layers: 1 channel) stays in float32. 3D bfloat16
/// convolutions give garbage gradients in libtorch 2.10 CPU whatever the channels: 3D layers always compute in float32.
/// </summary>
internal sealed class Convolution : nn.Module<Tensor, Tensor>, IPrecisionLayer
{

    /// <summary>Output channel granularity that keeps libtorch's input-gradient kernel correct.</summary>
    public const int SafeChannelMultiple = 16;

    private readonly long[] _stride;
    private readonly long[] _padding;

    public Convolution(int dimensions, long input, long output, long kernel, long stride, long padding) : base(nameof(Convolution))
    {
        Layers.CheckDimensions(dimensions);
        Dimensions = dimensions;
        InputChannels = input;
        OutputChannels = output;
        var shape = new long[2 + dimensions];
        shape[0] = output;
        shape[1] = input;
        for (var i = 2; i < shape.Length; i++) shape[i] = kernel;
        // PyTorch's default initialisation (AdGanNetworks re-draws the reference's).
        var bound = 1.0 / Math.Sqrt(input * Math.Pow(kernel, dimensions));
        register_parameter("weight", new Parameter(empty(shape).uniform_(-bound, bound)));
        register_parameter("bias", new Parameter(empty(output).uniform_(-bound, bound)));
        _stride = Enumerable.Repeat(stride, dimensions).ToArray();
        _padding = Enumerable.Repeat(padding, dimensions).ToArray();
    }

    public int Dimensions { get; }

    public long InputChannels { get; }

    public long OutputChannels { get; }

    public ComputePrecision Precision { get; set; }

    /// <summary>Stride along each spatial axis (read by the ONNX export).</summary>
    internal IReadOnlyList<long> Stride => _stride;

    /// <summary>Zero padding at both ends of each spatial axis (read by the ONNX export).</summary>
    internal IReadOnlyList<long> Padding => _padding;

    // Looked up on every call: Module.to(dtype/device) replaces registered parameters, so fields would go stale.
    internal Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("The convolution lost its weight.");

    internal Parameter Bias => get_parameter("bias") ?? throw new InvalidOperationException("The convolution lost its bias.");

    public override Tensor forward(Tensor x)
    {
        var weightParameter = Weight;
        var biasParameter = Bias;
        if (UsesBFloat16(Precision, Dimensions, InputChannels, x))
            return MixedForward(x, weightParameter, biasParameter);
        var pad = OutputChannels % SafeChannelMultiple != 0 && is_grad_enabled() &&
                  (x.requires_grad || weightParameter.requires_grad);
        if (!pad) return Convolve(x, weightParameter, biasParameter);
        using var scope = NewDisposeScope();
        var extra = SafeChannelMultiple - OutputChannels % SafeChannelMultiple;
        var zeroShape = (long[])weightParameter.shape.Clone();
        zeroShape[0] = extra;
        var weight = cat(new Tensor[] { weightParameter, zeros(zeroShape, weightParameter.dtype, weightParameter.device) }, 0);
        var bias = cat(new Tensor[] { biasParameter, zeros(extra, biasParameter.dtype, biasParameter.device) }, 0);
        return scope.MoveToOuter(Convolve(x, weight, bias).narrow(1, 0, OutputChannels));
    }

    /// <summary>Whether a layer of this precision, dimensionality and input channel count convolves <paramref name="x"/> in bfloat16 (see the class remarks).</summary>
    internal static bool UsesBFloat16(ComputePrecision precision, int dimensions, long inputChannels, Tensor x) =>
        precision == ComputePrecision.BFloat16Mixed && dimensions == 2 && inputChannels % SafeChannelMultiple == 0 && x.dtype == ScalarType.Float32;

    private Tensor MixedForward(Tensor x, Tensor weightParameter, Tensor biasParameter)
    {
        using var scope = NewDisposeScope();
        var weight = weightParameter.to_type(ScalarType.BFloat16);
        var pad = OutputChannels % SafeChannelMultiple != 0;
        if (pad)
        {
            var zeroShape = (long[])weight.shape.Clone();
            zeroShape[0] = SafeChannelMultiple - OutputChannels % SafeChannelMultiple;
            weight = cat(new Tensor[] { weight, zeros(zeroShape, weight.dtype, weight.device) }, 0);
        }
        var y = Convolve(x.to_type(ScalarType.BFloat16), weight, null);
        if (pad) y = y.narrow(1, 0, OutputChannels);
        var broadcast = new long[2 + Dimensions];
        Array.Fill(broadcast, 1L);
        broadcast[1] = OutputChannels;
        return scope.MoveToOuter(y.to_type(ScalarType.Float32).add(biasParameter.reshape(broadcast), Scalars.One));
    }

    private Tensor Convolve(Tensor x, Tensor weight, Tensor? bias) =>
        Dimensions == 2
            ? nn.functional.conv2d(x, weight, bias, _stride, _padding)
            : nn.functional.conv3d(x, weight, bias, _stride, _padding);
}
