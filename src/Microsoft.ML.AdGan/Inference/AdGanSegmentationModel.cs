using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A trained AD-GAN generator ready to segment: normalise, rescale to the working scale, run tiles through
/// G(E(x, image), mask), blend, and resize the decoded map back to the image's size.
/// Immutable after construction (settings included): the domain styles are computed once, so concurrent calls need no locks.
/// </summary>
public sealed class AdGanSegmentationModel : IDisposable
{
    private readonly Tensor _encoderStyle;
    private readonly Tensor _decoderStyle;
    private readonly bool _ownsNetworks;
    private readonly bool _ownsStudent;

    /// <summary>Wraps trained networks (the model takes ownership, of the <paramref name="student"/> too) and the settings inference needs.</summary>
    public AdGanSegmentationModel(AdGanNetworks networks, AdGanInferenceSettings settings, Guid? id = null, AdGanStudent? student = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Networks = networks;
        Settings = settings;
        Id = id ?? Guid.NewGuid();
        _ownsNetworks = true;
        Student = student;
        _ownsStudent = student is not null;
        Networks.eval();
        using var noGrad = no_grad();
        _encoderStyle = Networks.Encoder.Style(AdGanDomain.Image).detach().DetachFromDisposeScope();
        _decoderStyle = Networks.Decoder.Style(AdGanDomain.Mask).detach().DetachFromDisposeScope();
    }

    private AdGanSegmentationModel(AdGanSegmentationModel weights, AdGanInferenceSettings settings, AdGanStudent? student, bool ownsStudent)
    {
        Networks = weights.Networks;
        Student = student;
        _ownsStudent = ownsStudent;
        Settings = settings;
        Id = Guid.NewGuid();
        _encoderStyle = weights._encoderStyle;
        _decoderStyle = weights._decoderStyle;
        _ownsNetworks = false;
    }

    /// <summary>A unique id of these weights and settings (kept across save and load; used to cache loaded models).</summary>
    public Guid Id { get; }

    /// <summary>The student network trained on this generator's translations (saved with it), or null.</summary>
    public AdGanStudent? Student { get; }

    /// <summary>The networks (the discriminator is not needed for inference and not saved in deployable models).</summary>
    public AdGanNetworks Networks { get; }

    /// <summary>The inference settings (immutable; see <see cref="WithSettings"/>).</summary>
    public AdGanInferenceSettings Settings { get; }

    /// <summary>The device the networks live on.</summary>
    public Device Device => Networks.Encoder.Mlp.parameters().First().device;

    /// <summary>
    /// A model over the same weights (shared, not copied) with other inference settings, e.g. <c>model.WithSettings(model.Settings
    /// with { TestTimeAugmentation = true })</c>. It has its own <see cref="Id"/>, is valid while this model is, and disposing it
    /// leaves the weights alone. The network shape (base channels, style width, dimensions) cannot change.
    /// </summary>
    public AdGanSegmentationModel WithSettings(AdGanInferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.BaseChannels != Settings.BaseChannels || settings.StyleMlpWidth != Settings.StyleMlpWidth || settings.Dimensions != Settings.Dimensions)
            throw new ArgumentException(
                $"The weights are ngf {Settings.BaseChannels}, style width {Settings.StyleMlpWidth}, {Settings.Dimensions}D; the new settings say ngf {settings.BaseChannels}, style width {settings.StyleMlpWidth}, {settings.Dimensions}D.",
                nameof(settings));
        return new AdGanSegmentationModel(this, settings, Student, ownsStudent: false);
    }

    /// <summary>
    /// A model over the same generator weights (shared, not copied) and settings that carries <paramref name="student"/> (null:
    /// none) and takes ownership of it; it has its own <see cref="Id"/> and is valid while this model is.
    /// </summary>
    public AdGanSegmentationModel WithStudent(AdGanStudent? student) => new(this, Settings, student, ownsStudent: student is not null);

    /// <summary>Decoded map (tanh of the logits, in [-1, 1]) of a raw image, at the image's size.</summary>
    public ImageBuffer<float> Decode(ImageBuffer<float> rawImage) => DecodeWithScale(rawImage).Map;

    /// <summary>
    /// Decoded map of a raw image at the image's size, with the scale the image went through the network at (its own with
    /// <see cref="AdGanInferenceSettings.PerImageScale"/>), for labelling at that scale.
    /// </summary>
    public AdGanDecodedMap DecodeWithScale(ImageBuffer<float> rawImage)
    {
        ArgumentNullException.ThrowIfNull(rawImage);
        if (rawImage.Shape.Dimensions != Settings.Dimensions)
            throw new ArgumentException($"The model segments {Settings.Dimensions}D data but the image is {rawImage.Shape.Dimensions}D ({rawImage.Shape}).", nameof(rawImage));
        var normalized = IntensityNormalizer.Normalize(rawImage, Settings.Normalization);
        return DecodeNormalizedWithScale(normalized) with { Image = rawImage };
    }

    /// <summary>Decoded map of an image already normalised to [-1, 1].</summary>
    public ImageBuffer<float> DecodeNormalized(ImageBuffer<float> normalized) => DecodeNormalizedWithScale(normalized).Map;

    /// <summary>Decoded map of an image already normalised to [-1, 1], with the scale it went through the network at.</summary>
    public AdGanDecodedMap DecodeNormalizedWithScale(ImageBuffer<float> normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        double scale = WorkingScale(normalized);
        var working = scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
        var decoded = Settings.TestTimeAugmentation ? DecodeWithFlips(working) : TiledInference.Run(working, Network, Settings.Tiling, Device);
        if (scale != 1.0)
            decoded = ImageResampler.Resize(decoded, normalized.Shape, antiAlias: false);
        return new AdGanDecodedMap(decoded, scale, Settings.ImageScale) { Image = normalized };
    }

    /// <summary>
    /// The factor this image is resized by before the network: <see cref="AdGanInferenceSettings.ImageScale"/>, or with
    /// <see cref="AdGanInferenceSettings.PerImageScale"/> the one that brings its measured median nucleus semi-axis to
    /// <see cref="AdGanInferenceSettings.TrainedSemiAxis"/>.
    /// </summary>
    public double WorkingScale(ImageBuffer<float> normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (!Settings.PerImageScale)
            return Settings.ImageScale;
        var measured = new PriorEstimator().MeasureImage(normalized, "image").Statistics;
        if (measured.Count == 0 || !(measured.Median > 0))
            return Settings.ImageScale;
        double scale = Settings.TrainedSemiAxis!.Value / measured.Median;
        double limit = AdGanInferenceSettings.MaxPerImageScaleChange;
        return Math.Clamp(scale, Settings.ImageScale / limit, Math.Min(16, Settings.ImageScale * limit));
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

    private ImageBuffer<float> DecodeWithFlips(ImageBuffer<float> working)
    {
        var sum = new float[working.Data.Length];
        var flips = FlipAugmentation.Flips(working.Shape);
        foreach (var flip in flips)
        {
            var decoded = TiledInference.Run(FlipAugmentation.Apply(working, flip), Network, Settings.Tiling, Device);
            var back = FlipAugmentation.Apply(decoded, flip);
            for (int i = 0; i < sum.Length; i++)
                sum[i] += back.Data[i];
        }
        float inverse = 1f / flips.Count;
        for (int i = 0; i < sum.Length; i++)
            sum[i] *= inverse;
        return new ImageBuffer<float>(sum, working.Shape, working.VoxelSize);
    }

    private Tensor Network(Tensor x, IInstanceNormStatistics? statistics)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Networks.Segment(x, _encoderStyle, _decoderStyle, statistics).tanh());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsStudent)
            Student!.Dispose();
        if (!_ownsNetworks)
            return;
        _encoderStyle.Dispose();
        _decoderStyle.Dispose();
        Networks.Dispose();
    }
}
