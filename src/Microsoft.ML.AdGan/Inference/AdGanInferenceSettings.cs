using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Everything inference needs besides the weights; stored in every model file. Immutable: derive a variant with
/// <c>settings with { Tiling = ... }</c> and apply it with <see cref="AdGanSegmentationModel.WithSettings"/>.
/// </summary>
public sealed record AdGanInferenceSettings
{
    /// <summary>Largest factor by which <see cref="PerImageScale"/> may move an image's scale away from <see cref="ImageScale"/>.</summary>
    public const double MaxPerImageScaleChange = ImageScaling.MaxChange;

    /// <summary>Base channel count (ngf) of the encoder and decoder.</summary>
    public int BaseChannels { get; init; } = 16;

    /// <summary>Hidden width of the style MLPs.</summary>
    public int StyleMlpWidth { get; init; } = 64;

    /// <summary>2 for images, 3 for volumes.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>How the masks the model learned were coded: 3-level instance maps or semantic masks.</summary>
    public SyntheticMaskCoding Coding { get; init; } = SyntheticMaskCoding.ThreeLevel;

    /// <summary>Images are resized by this factor before the network and results resized back (1 = native size).</summary>
    public double ImageScale { get; init; } = 1.0;

    /// <summary>How raw intensities are mapped to [-1, 1].</summary>
    public IntensityNormalizerOptions Normalization { get; init; } = new();

    /// <summary>Tile geometry and normalisation statistics of inference.</summary>
    public TilingOptions Tiling { get; init; } = new();

    /// <summary>
    /// Decoded-map value above which a pixel is nucleus (ring or core) in the binary mask
    /// (<see cref="AdGanSegmentationModel.Foreground"/>) and in the <see cref="AdGanDecoding.Cores"/> labelling, which copies
    /// it into <see cref="InstanceLabelOptions.ForegroundThreshold"/>. Default -0.498, the reference's 64 on 0-255. The
    /// <see cref="AdGanDecoding.Split"/> labelling uses its own foreground of -0.7 instead; either way
    /// <see cref="AdGanSegmentationModel.LabelOptions"/> shows the threshold the labeller reads.
    /// </summary>
    public float ForegroundThreshold { get; init; } = -0.498f;

    /// <summary>
    /// Decoded-map value above which a pixel is a nucleus core (3-level coding), copied into
    /// <see cref="InstanceLabelOptions.CoreThreshold"/> by the labelling (read with <see cref="AdGanDecoding.Cores"/>). Default 0.5.
    /// </summary>
    public float CoreThreshold { get; init; } = 0.5f;

    /// <summary>
    /// Test-time augmentation: average the decoded maps of the flipped images (2D: none, X, Y, both; 3D: the 8 flips of Z,
    /// Y and X), at 4 or 8 times the compute. Default false.
    /// </summary>
    public bool TestTimeAugmentation { get; init; }

    /// <summary>
    /// Rescale each image so its nuclei reach the network at <see cref="TrainedSemiAxis"/>: the image's median nucleus
    /// semi-axis is measured as <see cref="Priors.PriorEstimator"/> does, and the scale replaces <see cref="ImageScale"/>
    /// (kept within a factor <see cref="MaxPerImageScaleChange"/> of it; images with no measurable nuclei keep it).
    /// Needs <see cref="TrainedSemiAxis"/>. Default false.
    /// </summary>
    public bool PerImageScale { get; init; }

    /// <summary>
    /// Median major semi-axis, in pixels at the working scale, of the synthetic nuclei the model was trained on (the size the
    /// network expects); null for models that do not record it (format version 1, imported checkpoints).
    /// </summary>
    public double? TrainedSemiAxis { get; init; }

    /// <summary>How images are resized before the network: <see cref="ImageScale"/>, or each image's own with <see cref="PerImageScale"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal ImageScaling Scaling => new(ImageScale, PerImageScale ? TrainedSemiAxis : null);

    /// <summary>How decoded maps become instances (<see cref="AdGanSegmentationModel.LabelOptions"/>). Default <see cref="AdGanDecoding.Split"/>.</summary>
    public AdGanDecoding Decoding { get; init; } = AdGanDecoding.Split;

    /// <summary>
    /// Width, in working-scale pixels, of the band around each nucleus boundary inside which the image's own threshold places
    /// the boundary (<see cref="InstanceLabelOptions.ImageBoundaryBand"/>); 0 keeps the decoded map's boundary. Default null:
    /// 2 for images with <see cref="AdGanDecoding.Split"/>, 0 otherwise.
    /// </summary>
    public double? ImageBoundaryBand { get; init; }

    /// <summary>
    /// Threshold of the image's own foreground that refits boundaries within <see cref="ImageBoundaryBand"/>. Default
    /// <see cref="ThresholdMethod.Otsu"/>; <see cref="ThresholdMethod.LogOtsu"/> keeps dim nuclei beside a few very bright ones.
    /// </summary>
    public ThresholdMethod ImageThresholdMethod { get; init; } = ThresholdMethod.Otsu;

    /// <summary>
    /// Which network segments: the generator, or the student the model carries (<see cref="AdGanSegmentationModel.Student"/>),
    /// labelled its own way. Default <see cref="SegmentationNetwork.Generator"/>.
    /// </summary>
    public SegmentationNetwork Network { get; init; } = SegmentationNetwork.Generator;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (BaseChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(BaseChannels), BaseChannels, "BaseChannels must be at least 1.");
        if (StyleMlpWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(StyleMlpWidth), StyleMlpWidth, "StyleMlpWidth must be at least 1.");
        if (Dimensions is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "Dimensions must be 2 or 3.");
        if (!(ImageScale > 0 && ImageScale <= 16))
            throw new ArgumentOutOfRangeException(nameof(ImageScale), ImageScale, "ImageScale must lie in (0, 16].");
        if (!(ForegroundThreshold > -1 && ForegroundThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(ForegroundThreshold), ForegroundThreshold, "ForegroundThreshold must lie in (-1, 1).");
        if (!(CoreThreshold > -1 && CoreThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(CoreThreshold), CoreThreshold, "CoreThreshold must lie in (-1, 1).");
        if (TrainedSemiAxis is double a && !(a >= 1 && double.IsFinite(a)))
            throw new ArgumentOutOfRangeException(nameof(TrainedSemiAxis), a, "TrainedSemiAxis must be null or a finite semi-axis of at least 1 pixel.");
        if (PerImageScale && TrainedSemiAxis is null)
            throw new ArgumentException("PerImageScale needs TrainedSemiAxis, the nucleus size the model was trained at; this model does not record it (trained before format version 2, or imported).", nameof(PerImageScale));
        if (PerImageScale && Dimensions == 3)
            throw new ArgumentException("PerImageScale measures nuclei in 2D images only; it is not available for volumes.", nameof(PerImageScale));
        if (!Enum.IsDefined(ImageThresholdMethod))
            throw new ArgumentOutOfRangeException(nameof(ImageThresholdMethod), ImageThresholdMethod, "Unknown ThresholdMethod.");
        if (!Enum.IsDefined(Decoding))
            throw new ArgumentOutOfRangeException(nameof(Decoding), Decoding, "Unknown AdGanDecoding.");
        if (!Enum.IsDefined(Network))
            throw new ArgumentOutOfRangeException(nameof(Network), Network, "Unknown SegmentationNetwork.");
        if (ImageBoundaryBand is double band && !(band >= 0 && double.IsFinite(band)))
            throw new ArgumentOutOfRangeException(nameof(ImageBoundaryBand), band, "ImageBoundaryBand must be null or a finite width of at least 0 pixels (0: off).");
        if (ImageBoundaryBand > 0 && Dimensions == 3)
            throw new ArgumentException($"ImageBoundaryBand {ImageBoundaryBand} refines images only; this model segments volumes (set it to 0 or null).", nameof(ImageBoundaryBand));
        ArgumentNullException.ThrowIfNull(Normalization, nameof(Normalization));
        ArgumentNullException.ThrowIfNull(Tiling, nameof(Tiling));
        Normalization.Validate();
        Tiling.Validate();
    }
}
