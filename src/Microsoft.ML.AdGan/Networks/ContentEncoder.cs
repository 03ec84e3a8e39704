using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The shared content encoder E(x, domain): reflect-pad 3, conv 7 (c -> ngf), AdaIN, ReLU; conv 3 s2 p1 (ngf -> 2ngf),
/// AdaIN, ReLU; conv 3 s2 p1 (2ngf -> 4ngf), AdaIN, ReLU; 4 residual blocks at 4ngf. Output: content (B, 4ngf, S/4).
/// </summary>
internal sealed class ContentEncoder : StyledNetwork
{
    /// <summary>Creates an encoder with <paramref name="baseChannels"/> (ngf) base channels.</summary>
    public ContentEncoder(int baseChannels, int dimensions = 2, int imageChannels = 1, int mlpWidth = 64)
        : base(nameof(ContentEncoder), dimensions, mlpWidth, BuildLayers(baseChannels, dimensions, imageChannels))
    {
        BaseChannels = baseChannels;
        ImageChannels = imageChannels;
    }

    /// <summary>ngf.</summary>
    public int BaseChannels { get; }

    /// <summary>Channels of the input images.</summary>
    public int ImageChannels { get; }

    /// <summary>Channels of the content tensor (4 ngf).</summary>
    public int ContentChannels => 4 * BaseChannels;

    /// <summary>Content of <paramref name="x"/> seen as an image of <paramref name="domain"/>.</summary>
    public Tensor Encode(Tensor x, AdGanDomain domain)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(call(x, Style(domain)));
    }

    private static nn.Module[] BuildLayers(int ngf, int d, int imageChannels)
    {
        if (ngf < 1) throw new ArgumentOutOfRangeException(nameof(ngf), ngf, "The base channel count must be at least 1.");
        Layers.CheckDimensions(d);
        return new nn.Module[]
        {
            Layers.ReflectionPad(d, 3), Layers.Conv(d, imageChannels, ngf, 7), new AdaptiveInstanceNorm(ngf, d), nn.ReLU(),
            Layers.Conv(d, ngf, 2 * ngf, 3, 2, 1), new AdaptiveInstanceNorm(2 * ngf, d), nn.ReLU(),
            Layers.Conv(d, 2 * ngf, 4 * ngf, 3, 2, 1), new AdaptiveInstanceNorm(4 * ngf, d), nn.ReLU(),
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
            new ResidualBlock(4 * ngf, d),
        };
    }
}
