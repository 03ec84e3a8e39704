using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The shared decoder G(c, domain): 4 residual blocks at 4ngf; transposed conv 3 s2 p1 op1 (4ngf -> 2ngf), AdaIN, ReLU;
/// the same (2ngf -> ngf), AdaIN, ReLU; reflect-pad 3, conv 7 (ngf -> c). <see cref="StyledNetwork.forward"/> returns
/// logits; <see cref="Decode"/> applies tanh.
/// </summary>
internal sealed class StyleDecoder : StyledNetwork
{
    /// <summary>Creates a decoder with <paramref name="baseChannels"/> (ngf) base channels.</summary>
    public StyleDecoder(int baseChannels, int dimensions = 2, int imageChannels = 1, int mlpWidth = 64)
        : base(nameof(StyleDecoder), dimensions, mlpWidth, BuildLayers(baseChannels, dimensions, imageChannels))
    {
        BaseChannels = baseChannels;
        ImageChannels = imageChannels;
    }

    /// <summary>ngf.</summary>
    public int BaseChannels { get; }

    /// <summary>Channels of the output images.</summary>
    public int ImageChannels { get; }

    /// <summary>Renders <paramref name="content"/> in the style of <paramref name="domain"/>: tanh images in [-1, 1], or the logits when <paramref name="logits"/> is true.</summary>
    public Tensor Decode(Tensor content, AdGanDomain domain, bool logits = false)
    {
        using var scope = NewDisposeScope();
        var y = call(content, Style(domain));
        return scope.MoveToOuter(logits ? y : y.tanh());
    }

    private static nn.Module[] BuildLayers(int ngf, int d, int imageChannels)
    {
        if (ngf < 1) throw new ArgumentOutOfRangeException(nameof(ngf), ngf, "The base channel count must be at least 1.");
        Layers.CheckDimensions(d);
        return new nn.Module[]
        {
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
            Layers.UpConv(d, 4 * ngf, 2 * ngf), new AdaptiveInstanceNorm(2 * ngf, d), nn.ReLU(),
            Layers.UpConv(d, 2 * ngf, ngf), new AdaptiveInstanceNorm(ngf, d), nn.ReLU(),
            Layers.ReflectionPad(d, 3), Layers.Conv(d, ngf, imageChannels, 7),
        };
    }
}
