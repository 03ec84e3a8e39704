using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// A 2D or 3D convolution (parameters <c>weight</c>, <c>bias</c>, as nn.Conv2d/Conv3d) that works around a libtorch 2.10
/// CPU defect: for a float32 convolution (2D and 3D) whose output channel count is not a multiple of 16, the gradient with respect
/// to the input is wrong (even NaN). While gradients are recorded, the filters are padded with zero filters up to a
/// multiple of 16 and the extra channels dropped: the values are unchanged and every gradient is exact.
/// </summary>
internal sealed class Convolution : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channel granularity that keeps libtorch's input-gradient kernel correct.</summary>
    public const int SafeChannelMultiple = 16;

    private readonly long[] _stride;
    private readonly long[] _padding;

    public Convolution(int dimensions, long input, long output, long kernel, long stride, long padding) : base(nameof(Convolution))
    {
        Layers.CheckDimensions(dimensions);
        Dimensions = dimensions;
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

    public long OutputChannels { get; }

    // Looked up on every call: Module.to(dtype/device) replaces registered parameters, so fields would go stale.
    private Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("The convolution lost its weight.");

    private Parameter Bias => get_parameter("bias") ?? throw new InvalidOperationException("The convolution lost its bias.");

    public override Tensor forward(Tensor x)
    {
        var weightParameter = Weight;
        var biasParameter = Bias;
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

    private Tensor Convolve(Tensor x, Tensor weight, Tensor bias) =>
        Dimensions == 2
            ? nn.functional.conv2d(x, weight, bias, _stride, _padding)
            : nn.functional.conv3d(x, weight, bias, _stride, _padding);
}
