using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// Residual block: reflect-pad 1, conv 3, AdaIN, ReLU, reflect-pad 1, conv 3, AdaIN, plus the input (no activation
/// after the sum). Parameter names (conv1, conv2) follow the authors' ResBlk.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>, IStyledLayer
{
    private readonly nn.Module<Tensor, Tensor> _pad;
    private readonly nn.Module<Tensor, Tensor> _conv1;
    private readonly AdaptiveInstanceNorm _norm1;
    private readonly nn.Module<Tensor, Tensor> _conv2;
    private readonly AdaptiveInstanceNorm _norm2;

    /// <summary>Creates a block of <paramref name="channels"/> channels in 2D or 3D.</summary>
    public ResidualBlock(long channels, int dimensions) : base(nameof(ResidualBlock))
    {
        Layers.CheckDimensions(dimensions);
        Channels = channels;
        _pad = Layers.ReflectionPad(dimensions, 1);
        _conv1 = Layers.Conv(dimensions, channels, channels, 3);
        _norm1 = new AdaptiveInstanceNorm(channels, dimensions);
        _conv2 = Layers.Conv(dimensions, channels, channels, 3);
        _norm2 = new AdaptiveInstanceNorm(channels, dimensions);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        register_module("norm1", _norm1);
        register_module("norm2", _norm2);
        register_module("pad", _pad);
    }

    /// <summary>Channel count of input and output.</summary>
    public long Channels { get; }

    /// <summary>The first 3 x 3 convolution (after reflection padding 1).</summary>
    internal Convolution FirstConvolution => (Convolution)_conv1;

    /// <summary>The second 3 x 3 convolution (after reflection padding 1).</summary>
    internal Convolution SecondConvolution => (Convolution)_conv2;

    /// <summary>The AdaIN after the first convolution (followed by ReLU); it takes the first part of the block's style.</summary>
    internal AdaptiveInstanceNorm FirstNorm => _norm1;

    /// <summary>The AdaIN after the second convolution, before the skip sum; it takes the rest of the block's style.</summary>
    internal AdaptiveInstanceNorm SecondNorm => _norm2;

    /// <summary>Style values consumed: those of norm1 then those of norm2 (4 x channels).</summary>
    public int StyleLength => _norm1.StyleLength + _norm2.StyleLength;

    /// <summary>Applies the block to <paramref name="x"/> with <paramref name="style"/> (B or 1, 4C).</summary>
    public override Tensor forward(Tensor x, Tensor style) => Forward(x, style, null);

    /// <summary>As <see cref="forward"/>, normalising with <paramref name="statistics"/> when given (else with the sample's own).</summary>
    public Tensor Forward(Tensor x, Tensor style, IInstanceNormStatistics? statistics)
    {
        if (!is_grad_enabled())
            return ForwardReleasingEarly(x, style, statistics);
        using var scope = NewDisposeScope();
        var h = _conv1.call(_pad.call(x));
        h = nn.functional.relu(_norm1.Forward(h, style.narrow(1, 0, _norm1.StyleLength), statistics));
        h = _conv2.call(_pad.call(h));
        h = _norm2.Forward(h, style.narrow(1, _norm1.StyleLength, _norm2.StyleLength), statistics);
        return scope.MoveToOuter(h.add(x, Scalars.One));
    }

    /// <summary>The inference forward: each intermediate map is freed once the next exists, so a block holds about two maps, not seven.</summary>
    private Tensor ForwardReleasingEarly(Tensor x, Tensor style, IInstanceNormStatistics? statistics)
    {
        var h = Release(_pad.call(x), p => _conv1.call(p));
        h = Release(h, c => _norm1.Forward(c, style.narrow(1, 0, _norm1.StyleLength), statistics)).relu_();
        h = Release(Release(h, _pad.call), p => _conv2.call(p));
        h = Release(h, c => _norm2.Forward(c, style.narrow(1, _norm1.StyleLength, _norm2.StyleLength), statistics));
        return h.add_(x, Scalars.One);

        static Tensor Release(Tensor input, Func<Tensor, Tensor> layer)
        {
            var output = layer(input);
            if (!ReferenceEquals(output, input))
                input.Dispose();
            return output;
        }
    }

    Tensor IStyledLayer.Apply(Tensor x, Tensor style, IInstanceNormStatistics? statistics) => Forward(x, style, statistics);
}
