using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A trained AD-GAN model: the generator's weights, optionally a student network trained on its translations
/// (<see cref="Student"/>), and the settings inference needs (working scale, normalisation, tiling, labelling, and which
/// network segments). Segment with <see cref="NucleusSegmenter"/>, the one segmentation pipeline. Immutable after construction
/// (settings included): the domain styles are computed once, so concurrent calls need no locks.
/// </summary>
public sealed class AdGanSegmentationModel : IDisposable
{
    private readonly GeneratorHead _generator;
    private readonly StudentHead? _studentHead;
    private bool _ownsNetworks;
    private bool _ownsStudent;

    /// <summary>
    /// Wraps trained networks and optionally a <paramref name="student"/> (the model takes ownership of both) and the settings
    /// inference needs; settings that ask for the student need one.
    /// </summary>
    public AdGanSegmentationModel(AdGanNetworks networks, AdGanInferenceSettings settings, Guid? id = null, AdGanStudent? student = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        CheckNetwork(settings, student);
        Networks = networks;
        Settings = settings;
        Id = id ?? Guid.NewGuid();
        _ownsNetworks = true;
        Networks.eval();
        _generator = new GeneratorHead(networks);
        Student = student;
        _ownsStudent = student is not null;
        _studentHead = student is null ? null : new StudentHead(student);
    }

    private AdGanSegmentationModel(AdGanSegmentationModel weights, AdGanInferenceSettings settings, bool ownsNetworks, AdGanStudent? student, StudentHead? studentHead, bool ownsStudent)
    {
        Networks = weights.Networks;
        Settings = settings;
        Id = Guid.NewGuid();
        _generator = weights._generator;
        _ownsNetworks = ownsNetworks;
        Student = student;
        _studentHead = studentHead;
        _ownsStudent = ownsStudent;
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
    /// The labelling this model's decoded maps call for (its <see cref="AdGanInferenceSettings.Decoding"/>, thresholds, working
    /// scale and image band): a new copy on every call, free to change and pass to <see cref="NucleusSegmenter"/>.
    /// </summary>
    public InstanceLabelOptions LabelOptions => Head.LabelOptions(Settings);

    /// <summary>What the segmentation pipeline runs for this model and how it labels the result.</summary>
    internal ISegmentationHead Head => Settings.Network == SegmentationNetwork.Student ? _studentHead! : _generator;

    /// <summary>Throws when <paramref name="settings"/> ask for the student network and <paramref name="student"/> is null.</summary>
    private static void CheckNetwork(AdGanInferenceSettings settings, AdGanStudent? student)
    {
        if (settings.Network == SegmentationNetwork.Student && student is null)
            throw new ArgumentException(
                "The settings ask for the student network but the model carries none: train one (AdGanTrainerOptions.Student, adgan train --student on) or segment with the generator.",
                nameof(settings));
    }

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
        CheckNetwork(settings, Student);
        return new AdGanSegmentationModel(this, settings, ownsNetworks: false, Student, _studentHead, ownsStudent: false);
    }

    /// <summary>
    /// A model over the same generator weights (shared, not copied) and settings that carries <paramref name="student"/> (null:
    /// none) and takes ownership of it; it has its own <see cref="Id"/> and is valid while this model is.
    /// </summary>
    internal AdGanSegmentationModel WithStudent(AdGanStudent? student)
    {
        CheckNetwork(Settings, student);
        return new AdGanSegmentationModel(this, Settings, ownsNetworks: false, student, student is null ? null : new StudentHead(student), ownsStudent: student is not null);
    }

    /// <summary>
    /// As <see cref="WithSettings"/>, but the new model takes over the weights: this one no longer disposes them. For a model
    /// that has just been trained and is handed on with other settings; never for a model someone else holds.
    /// </summary>
    internal AdGanSegmentationModel TakeOwnership(AdGanInferenceSettings settings)
    {
        var variant = WithSettings(settings);
        if (!_ownsNetworks)
            return variant;
        _ownsNetworks = false;
        bool ownsStudent = _ownsStudent;
        _ownsStudent = false;
        return new AdGanSegmentationModel(this, variant.Settings, ownsNetworks: true, Student, _studentHead, ownsStudent);
    }

    /// <summary>Decoded map (tanh of the logits, in [-1, 1]) of a raw image or volume at its size: <c>new NucleusSegmenter(model).Decode(rawImage).Map</c>.</summary>
    public ImageBuffer<float> Decode(ImageBuffer<float> rawImage) => new NucleusSegmenter(this).Decode(rawImage).Map;

    /// <summary>Decoded map of an image already normalised to [-1, 1]: <c>new NucleusSegmenter(model).DecodeNormalized(normalized).Map</c>.</summary>
    public ImageBuffer<float> DecodeNormalized(ImageBuffer<float> normalized) => new NucleusSegmenter(this).DecodeNormalized(normalized).Map;

    /// <summary>Binary mask (1 = nucleus) of a decoded map, using <see cref="AdGanInferenceSettings.ForegroundThreshold"/>.</summary>
    public ImageBuffer<byte> Foreground(ImageBuffer<float> decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var mask = new byte[decoded.Data.Length];
        float t = Settings.ForegroundThreshold;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = decoded.Data[i] > t ? (byte)1 : (byte)0;
        return new ImageBuffer<byte>(mask, decoded.Shape, decoded.VoxelSize);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsStudent)
            Student!.Dispose();
        if (!_ownsNetworks)
            return;
        _generator.Dispose();
        Networks.Dispose();
    }
}
