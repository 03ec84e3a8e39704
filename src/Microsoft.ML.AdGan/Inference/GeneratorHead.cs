using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The AD-GAN generator as the segmentation pipeline's head: tanh(G(E(x, image style), mask style)) with the domain styles
/// computed once, labelled as <see cref="AdGanLabeling"/> says. Holds no per-call state, so concurrent calls need no locks.
/// </summary>
internal sealed class GeneratorHead : ISegmentationHead, IDisposable
{
    /// <summary>
    /// Smallest side the generator takes: its two stride-2 stages leave 2 pixels of an 8-pixel side, the least the
    /// residual blocks' reflect padding of 1 accepts.
    /// </summary>
    public const int MinimumSide = 8;

    /// <summary>
    /// Peak working memory of one inference forward, in float32 values per input pixel and base channel (ngf), with room to
    /// spare: layers free their inputs and normalise in place, so the full-resolution stages hold about three ngf-channel maps
    /// at once (a convolution's input, its output and the backend's reordered copy).
    /// </summary>
    internal const double WorkingValuesPerPixelAndChannel = 5;

    /// <summary>
    /// Peak working memory of the banded whole-image forward (<see cref="BandedGenerator"/>), in float32 values per input pixel
    /// and base channel, with room to spare: it holds a half-resolution 2 ngf-channel map and a quarter-resolution 4 ngf-channel
    /// one at once (1 value per pixel and ngf) besides the image's own buffers; 4096 x 4096 at ngf 16 peaked at about 1.1.
    /// </summary>
    internal const double BandedValuesPerPixelAndChannel = 1.25;

    private readonly AdGanNetworks _networks;
    private readonly Tensor _encoderStyle;
    private readonly Tensor _decoderStyle;

    /// <summary>Computes the styles of <paramref name="networks"/> (which stay owned by the caller).</summary>
    public GeneratorHead(AdGanNetworks networks)
    {
        _networks = networks;
        using var noGrad = no_grad();
        _encoderStyle = networks.Encoder.Style(AdGanDomain.Image).detach().DetachFromDisposeScope();
        _decoderStyle = networks.Decoder.Style(AdGanDomain.Mask).detach().DetachFromDisposeScope();
        var device = networks.Encoder.Mlp.parameters().First().device;
        double workingBytes = WorkingValuesPerPixelAndChannel * networks.Options.BaseChannels * sizeof(float);
        bool banded = networks.Options.Dimensions == 2 && networks.ComputePrecision == ComputePrecision.Float32 && device.type == TorchSharp.DeviceType.CPU;
        double wholeImageBytes = banded ? BandedValuesPerPixelAndChannel * networks.Options.BaseChannels * sizeof(float) : workingBytes;
        Network = new TorchTileNetwork(Forward, poolsImageStatistics: true, device, MinimumSide, workingBytes, wholeImageBytesPerPixel: wholeImageBytes);
    }

    /// <inheritdoc/>
    public ITileNetwork Network { get; }

    /// <inheritdoc/>
    public InstanceLabelOptions LabelOptions(AdGanInferenceSettings settings) => AdGanLabeling.For(settings);

    private Tensor Forward(Tensor x, IInstanceNormStatistics? statistics)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(_networks.Segment(x, _encoderStyle, _decoderStyle, statistics).tanh());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _encoderStyle.Dispose();
        _decoderStyle.Dispose();
    }
}
