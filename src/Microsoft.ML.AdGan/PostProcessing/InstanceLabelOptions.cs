using Microsoft.ML.AdGan.Imaging;
namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Options of <see cref="InstanceLabeler"/> (defaults: foreground above -0.498 and cores above 0.5 of the decoded map, as the
/// authors' code reads it). For an AD-GAN model these are derived from its inference settings and read from
/// <c>model.LabelOptions</c>: the settings' ForegroundThreshold and CoreThreshold are copied here with the Cores decoding,
/// while the Split decoding sets its own foreground of -0.7; set these directly only to label maps outside a model.
/// </summary>
public sealed class InstanceLabelOptions
{
    /// <summary>What the map codes. Default: <see cref="InstanceLabelMode.ThreeLevel"/>.</summary>
    public InstanceLabelMode Mode { get; set; } = InstanceLabelMode.ThreeLevel;

    /// <summary>Foreground where the map is above this (64 on a 0-255 scale); the one foreground threshold the labeller reads. Default: -0.498.</summary>
    public float ForegroundThreshold { get; set; } = -0.498f;

    /// <summary>Core (marker) where the map is above this (about 191 on a 0-255 scale); three-level mode only. Default: 0.5.</summary>
    public float CoreThreshold { get; set; } = 0.5f;

    /// <summary>Cores with fewer pixels or voxels are not used as markers; three-level mode only. Default: 0 (keep all).</summary>
    public int MinCoreSize { get; set; }

    /// <summary>How cores grow through the ring; three-level mode only. Default: <see cref="InstanceGrowth.CoreDistance"/>.</summary>
    public InstanceGrowth Growth { get; set; } = InstanceGrowth.CoreDistance;

    /// <summary>Objects with fewer pixels or voxels are removed. Default: 10.</summary>
    public int MinObjectSize { get; set; } = 10;

    /// <summary>Fill the holes of every object. Default: true.</summary>
    public bool FillHoles { get; set; } = true;

    /// <summary>Remove objects that touch the image border. Default: false.</summary>
    public bool DropBorderObjects { get; set; }

    /// <summary>Minimum distance in pixels between the distance peaks that seed objects (of the distance transform in semantic mode, of the map in distance-peaks mode). Default: 5.</summary>
    public int MinMarkerDistance { get; set; } = 5;

    /// <summary>Neighbourhood of the watershed and of the components. Default: <see cref="Connectivity.Full"/> (8 in 2D, 26 in 3D).</summary>
    public Connectivity Connectivity { get; set; } = Connectivity.Full;

    /// <summary>
    /// Scale the map is labelled at: it is resampled by this factor first and the labels come back at its own size, so
    /// <see cref="MinObjectSize"/>, <see cref="MinCoreSize"/> and <see cref="MinMarkerDistance"/> count pixels at this scale.
    /// Set it to the AD-GAN model's working scale (the model's <c>LabelOptions</c> do). Default: 1 (the map's own size).
    /// </summary>
    public double WorkingScale { get; set; } = 1.0;

    /// <summary>
    /// Width, in pixels at <see cref="WorkingScale"/>, of the band around the map's nucleus boundary inside which the image's
    /// own foreground (Gaussian blur, Otsu threshold, as the classical baseline) decides the boundary, at the image's full size;
    /// the map alone decides elsewhere, so nuclei are neither added nor removed. Needs the image
    /// (<c>InstanceLabeler.Label(map, image)</c>, or an image column for <c>LabelInstances</c>). Default: 0 (off; an AD-GAN
    /// model's <c>LabelOptions</c> set 2 for images).
    /// </summary>
    public double ImageBoundaryBand { get; set; }

    /// <summary>Gaussian sigma, in pixels of the image at its own size, applied before the image's threshold of <see cref="ImageBoundaryBand"/>. Default: 1.</summary>
    public double ImageBlurSigma { get; set; } = 1.0;

    /// <summary>A copy of these options (the segmentation pipeline keeps its own, so later changes to this object do not reach it).</summary>
    public InstanceLabelOptions Clone() => (InstanceLabelOptions)MemberwiseClone();

    /// <summary>
    /// The image threshold of <see cref="ImageBoundaryBand"/> is set per object, halfway between the object's inside and the
    /// background just around it, instead of one Otsu threshold over the image (which a few very bright nuclei can push
    /// above the dim ones). Default: false.
    /// </summary>
    public bool LocalImageThreshold { get; set; }

    /// <summary>
    /// The image threshold of <see cref="ImageBoundaryBand"/> over the whole image (and the fallback of
    /// <see cref="LocalImageThreshold"/>): Otsu as the classical baseline, <see cref="ThresholdMethod.LogOtsu"/>, which a few
    /// very bright nuclei do not lift above the dim ones, or <see cref="ThresholdMethod.Local"/>, one per object found in the
    /// image. Default: <see cref="ThresholdMethod.Otsu"/>.
    /// </summary>
    public ThresholdMethod ImageThresholdMethod { get; set; } = ThresholdMethod.Otsu;

    /// <summary>Checks the values; throws naming the first wrong one.</summary>
    public void Validate()
    {
        if (!float.IsFinite(ForegroundThreshold) || !float.IsFinite(CoreThreshold))
            throw new ArgumentOutOfRangeException(nameof(ForegroundThreshold), $"Thresholds must be finite (foreground {ForegroundThreshold}, core {CoreThreshold}).");
        if (Mode == InstanceLabelMode.ThreeLevel && CoreThreshold < ForegroundThreshold)
            throw new ArgumentOutOfRangeException(nameof(CoreThreshold), CoreThreshold, $"CoreThreshold must not be below ForegroundThreshold ({ForegroundThreshold}).");
        if (MinCoreSize < 0)
            throw new ArgumentOutOfRangeException(nameof(MinCoreSize), MinCoreSize, "MinCoreSize must not be negative.");
        if (MinObjectSize < 0)
            throw new ArgumentOutOfRangeException(nameof(MinObjectSize), MinObjectSize, "MinObjectSize must not be negative.");
        if (!(WorkingScale > 0 && WorkingScale <= 16))
            throw new ArgumentOutOfRangeException(nameof(WorkingScale), WorkingScale, "WorkingScale must lie in (0, 16].");
        if (MinMarkerDistance < 1)
            throw new ArgumentOutOfRangeException(nameof(MinMarkerDistance), MinMarkerDistance, "MinMarkerDistance must be at least 1.");
        if (!(ImageBoundaryBand >= 0 && double.IsFinite(ImageBoundaryBand)))
            throw new ArgumentOutOfRangeException(nameof(ImageBoundaryBand), ImageBoundaryBand, "ImageBoundaryBand must be a finite width of at least 0 pixels (0: off).");
        if (!(ImageBlurSigma >= 0 && double.IsFinite(ImageBlurSigma)))
            throw new ArgumentOutOfRangeException(nameof(ImageBlurSigma), ImageBlurSigma, "ImageBlurSigma must be finite and not negative.");
        if (!Enum.IsDefined(ImageThresholdMethod))
            throw new ArgumentOutOfRangeException(nameof(ImageThresholdMethod), ImageThresholdMethod, "Unknown threshold method.");
        if (Mode is not (InstanceLabelMode.ThreeLevel or InstanceLabelMode.Semantic or InstanceLabelMode.DistancePeaks))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown mode.");
        if (Growth is not (InstanceGrowth.CoreDistance or InstanceGrowth.MapValue))
            throw new ArgumentOutOfRangeException(nameof(Growth), Growth, "Unknown growth.");
        if (Connectivity is not (Connectivity.Face or Connectivity.Full))
            throw new ArgumentOutOfRangeException(nameof(Connectivity), Connectivity, "Unknown connectivity.");
    }
}
