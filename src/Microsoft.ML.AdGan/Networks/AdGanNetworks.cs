using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The three AD-GAN networks: shared content encoder (<c>enc</c>), shared style decoder (<c>dec</c>) and the
/// per-domain PatchGAN discriminator (<c>dis</c>), initialised as the reference. State-dict names are the authors'
/// with the prefixes enc./dec./dis.
/// </summary>
public sealed class AdGanNetworks : nn.Module
{
    private ComputePrecision _precision;

    /// <summary>Builds and initialises the networks described by <paramref name="options"/> (defaults when null). Build outside any dispose scope.</summary>
    public AdGanNetworks(AdGanNetworkOptions? options = null) : base(nameof(AdGanNetworks))
    {
        Options = (options ?? new AdGanNetworkOptions()).Clone();
        Options.Validate();
        var o = Options;
        Encoder = new ContentEncoder(o.BaseChannels, o.Dimensions, o.ImageChannels, o.StyleMlpWidth);
        Decoder = new StyleDecoder(o.BaseChannels, o.Dimensions, o.ImageChannels, o.StyleMlpWidth);
        Discriminator = new PatchDiscriminator(o.BaseChannels, o.Dimensions, o.ImageChannels);
        register_module("enc", Encoder);
        register_module("dec", Decoder);
        register_module("dis", Discriminator);
        Initialize(o.Seed);
        ComputePrecision = o.ComputePrecision;
    }

    /// <summary>Number format of every convolution (parameters stay as they are); may be switched at any time, e.g. for inference.</summary>
    public ComputePrecision ComputePrecision
    {
        get => _precision;
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown ComputePrecision.");
            foreach (var module in modules().OfType<IPrecisionLayer>())
                module.Precision = value;
            _precision = value;
        }
    }

    /// <summary>The options the networks were built with (a copy).</summary>
    public AdGanNetworkOptions Options { get; }

    /// <summary>E: image + domain -> content.</summary>
    internal ContentEncoder Encoder { get; }

    /// <summary>G: content + domain -> image logits.</summary>
    internal StyleDecoder Decoder { get; }

    /// <summary>D: image + domain -> patch scores.</summary>
    internal PatchDiscriminator Discriminator { get; }

    /// <summary>Re-draws all weights as the reference: Kaiming-normal fan-in for encoder and decoder (MLPs included), normal(0, 0.02) for the discriminator, zero biases.</summary>
    public void Initialize(long seed)
    {
        using var generator = new Generator((ulong)seed);
        WeightInitializer.KaimingFanIn(Encoder, generator);
        WeightInitializer.KaimingFanIn(Decoder, generator);
        WeightInitializer.Normal(Discriminator, 0.02, generator);
    }

    /// <summary>Segmentation logits G(E(x, image), mask) of images <paramref name="x"/>; tanh(logits) is the decoded map.</summary>
    public Tensor Segment(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Segment(x, Encoder.Style(AdGanDomain.Image), Decoder.Style(AdGanDomain.Mask)));
    }

    /// <summary>Segmentation logits with precomputed styles (<c>Encoder.Style(Image)</c>, <c>Decoder.Style(Mask)</c>), for tiled inference.</summary>
    public Tensor Segment(Tensor x, Tensor encoderImageStyle, Tensor decoderMaskStyle) => Segment(x, encoderImageStyle, decoderMaskStyle, null);

    /// <summary>
    /// As <see cref="Segment(Tensor, Tensor, Tensor)"/>, every instance normalisation (encoder, then decoder) taking its
    /// statistics from <paramref name="statistics"/> when given; one image at inference is computed in bands (<see cref="BandedGenerator"/>).
    /// </summary>
    internal Tensor Segment(Tensor x, Tensor encoderImageStyle, Tensor decoderMaskStyle, IInstanceNormStatistics? statistics)
    {
        if (statistics is null && BandedGenerator.Supports(this, x))
            return BandedGenerator.Segment(this, x, encoderImageStyle, decoderMaskStyle);
        using var scope = NewDisposeScope();
        var content = Encoder.Forward(x, encoderImageStyle, statistics);
        return scope.MoveToOuter(Decoder.Forward(content, decoderMaskStyle, statistics));
    }

    /// <summary>Parameters of encoder and decoder (what the generator optimiser updates).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> GeneratorParameters() => Encoder.parameters().Concat(Decoder.parameters());
}
