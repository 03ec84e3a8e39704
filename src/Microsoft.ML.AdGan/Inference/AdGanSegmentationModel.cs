using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A trained AD-GAN generator ready to segment: normalise, rescale to the working scale, run tiles through
/// G(E(x, image), mask), blend, and resize the decoded map back to the image's size.
/// Immutable after construction: the domain styles are computed once, so concurrent calls need no locks.
/// </summary>
public sealed class AdGanSegmentationModel : IDisposable
{
    private readonly Tensor _encoderStyle;
    private readonly Tensor _decoderStyle;

    /// <summary>Wraps trained networks (the model takes ownership) and the settings inference needs.</summary>
    public AdGanSegmentationModel(AdGanNetworks networks, AdGanInferenceSettings settings, Guid? id = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Networks = networks;
        Settings = settings;
        Id = id ?? Guid.NewGuid();
        Networks.eval();
        using var noGrad = no_grad();
        _encoderStyle = Networks.Encoder.Style(AdGanDomain.Image).detach().DetachFromDisposeScope();
        _decoderStyle = Networks.Decoder.Style(AdGanDomain.Mask).detach().DetachFromDisposeScope();
    }

    /// <summary>A unique id of these weights (kept across save and load; used to cache loaded models).</summary>
    public Guid Id { get; }

    /// <summary>The networks (the discriminator is not needed for inference and not saved in deployable models).</summary>
    public AdGanNetworks Networks { get; }

    /// <summary>The inference settings.</summary>
    public AdGanInferenceSettings Settings { get; }

    /// <summary>The device the networks live on.</summary>
    public Device Device => Networks.Encoder.Mlp.parameters().First().device;

    /// <summary>Decoded map (tanh of the logits, in [-1, 1]) of a raw image, at the image's size.</summary>
    public ImageBuffer<float> Decode(ImageBuffer<float> rawImage)
    {
        ArgumentNullException.ThrowIfNull(rawImage);
        if (rawImage.Shape.Dimensions != Settings.Dimensions)
            throw new ArgumentException($"The model segments {Settings.Dimensions}D data but the image is {rawImage.Shape.Dimensions}D ({rawImage.Shape}).", nameof(rawImage));
        var normalized = IntensityNormalizer.Normalize(rawImage, Settings.Normalization);
        return DecodeNormalized(normalized);
    }

    /// <summary>Decoded map of an image already normalised to [-1, 1].</summary>
    public ImageBuffer<float> DecodeNormalized(ImageBuffer<float> normalized)
    {
        var working = Settings.ImageScale == 1.0 ? normalized : ImageResampler.Rescale(normalized, Settings.ImageScale);
        var decoded = TiledInference.Run(working, Network, Settings.Tiling, Device);
        if (Settings.ImageScale != 1.0)
            decoded = ImageResampler.Resize(decoded, normalized.Shape, antiAlias: false);
        return decoded;
    }

    /// <summary>Binary mask (1 = nucleus) of a decoded map, using <see cref="AdGanInferenceSettings.ForegroundThreshold"/>.</summary>
    public ImageBuffer<byte> Foreground(ImageBuffer<float> decoded)
    {
        var mask = new byte[decoded.Data.Length];
        float t = Settings.ForegroundThreshold;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = decoded.Data[i] > t ? (byte)1 : (byte)0;
        return new ImageBuffer<byte>(mask, decoded.Shape, decoded.VoxelSize);
    }

    private Tensor Network(Tensor x) => Networks.Segment(x, _encoderStyle, _decoderStyle).tanh();

    /// <inheritdoc/>
    public void Dispose()
    {
        _encoderStyle.Dispose();
        _decoderStyle.Dispose();
        Networks.Dispose();
    }
}
