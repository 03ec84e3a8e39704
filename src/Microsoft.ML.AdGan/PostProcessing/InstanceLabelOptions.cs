namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Options of <see cref="InstanceLabeler"/> (defaults follow the reference's section 7 contracts).</summary>
public sealed class InstanceLabelOptions
{
    /// <summary>What the map codes. Default: <see cref="InstanceLabelMode.ThreeLevel"/>.</summary>
    public InstanceLabelMode Mode { get; set; } = InstanceLabelMode.ThreeLevel;

    /// <summary>Foreground where the map is above this (64 on a 0-255 scale). Default: -0.498.</summary>
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
    /// Set it to the AD-GAN model's working scale (see <see cref="ForAdGan"/>). Default: 1 (the map's own size).
    /// </summary>
    public double WorkingScale { get; set; } = 1.0;

    /// <summary>
    /// Width, in pixels at <see cref="WorkingScale"/>, of the band around the map's nucleus boundary inside which the image's
    /// own foreground (Gaussian blur, Otsu threshold, as the classical baseline) decides the boundary, at the image's full size;
    /// the map alone decides elsewhere, so nuclei are neither added nor removed. Needs the image
    /// (<c>InstanceLabeler.Label(map, image)</c> or an <see cref="Inference.AdGanDecodedMap"/>
    /// that carries it). Default: 0 (off; <see cref="ForAdGan"/> sets 2 for images).
    /// </summary>
    public double ImageBoundaryBand { get; set; }

    /// <summary>Gaussian sigma, in pixels of the image at its own size, applied before the image's threshold of <see cref="ImageBoundaryBand"/>. Default: 1.</summary>
    public double ImageBlurSigma { get; set; } = 1.0;

    /// <summary>The boundary band <see cref="ForAdGan"/> sets for images, in working-scale pixels (chosen on the quality benchmark's selection groups).</summary>
    public const double ForAdGanImageBoundaryBand = 2;

    /// <summary>
    /// Median nucleus semi-axis (pixels at the working scale) of the models <see cref="ForAdGan"/>'s split decoding was chosen on;
    /// its peak distance is scaled by the model's <see cref="Inference.AdGanInferenceSettings.TrainedSemiAxis"/> relative to this.
    /// </summary>
    public const double ForAdGanReferenceSemiAxis = 12;

    private const int ForAdGanReferenceMarkerDistance = 7;

    /// <summary>
    /// Options that label an AD-GAN decoded map as the quality benchmark chose: at the model's working scale, foreground
    /// above -0.7, touching nuclei split by a distance-transform watershed with peaks at least 7 pixels apart for a model
    /// trained on nuclei of median semi-axis <see cref="ForAdGanReferenceSemiAxis"/> (proportionally more or less for
    /// larger or smaller trained nuclei; 7 when the model does not record its size), then for images boundaries refitted at
    /// full size within <see cref="ForAdGanImageBoundaryBand"/> working pixels by the image's own threshold (which needs the
    /// image: label an <see cref="Inference.AdGanDecodedMap"/> from <c>DecodeWithScale</c>), or, with
    /// <paramref name="decoding"/> = <see cref="AdGanDecoding.Cores"/>, the reference's cores-as-markers decoding.
    /// </summary>
    public static InstanceLabelOptions ForAdGan(Inference.AdGanInferenceSettings settings, AdGanDecoding decoding = AdGanDecoding.Split)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool semanticModel = settings.Coding == Synthesis.SyntheticMaskCoding.Semantic;
        return decoding switch
        {
            AdGanDecoding.Split => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.Semantic,
                ForegroundThreshold = -0.7f,
                CoreThreshold = settings.CoreThreshold,
                MinMarkerDistance = ForAdGanMarkerDistance(settings.TrainedSemiAxis),
                WorkingScale = settings.ImageScale,
                ImageBoundaryBand = settings.Dimensions == 2 ? ForAdGanImageBoundaryBand : 0,
            },
            AdGanDecoding.Cores => new InstanceLabelOptions
            {
                Mode = semanticModel ? InstanceLabelMode.Semantic : InstanceLabelMode.ThreeLevel,
                ForegroundThreshold = settings.ForegroundThreshold,
                CoreThreshold = settings.CoreThreshold,
                WorkingScale = settings.ImageScale,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(decoding), decoding, "Unknown AdGanDecoding."),
        };
    }

    /// <summary>Foreground threshold of <see cref="ForStudent"/>: the middle of the student's step from background (-1) to the nucleus' edge (0 or above).</summary>
    public const float ForStudentForegroundThreshold = -0.5f;

    /// <summary>
    /// Options that label a student's map (at the model's working scale, with the image boundary band of <see cref="ForAdGan"/>
    /// for images): <see cref="StudentDecoding.Peaks"/>, map above -0.5 as foreground and its peaks above 0 at least
    /// <see cref="ForAdGanMarkerDistance"/> apart as markers; <see cref="StudentDecoding.Cores"/>, the 3-level decoding with cores
    /// above 0.5; <see cref="StudentDecoding.Split"/>, <see cref="ForAdGan"/>'s split decoding of the map.
    /// </summary>
    public static InstanceLabelOptions ForStudent(Inference.AdGanInferenceSettings settings, StudentDecoding decoding = StudentDecoding.Peaks)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = decoding switch
        {
            StudentDecoding.Peaks => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.DistancePeaks,
                ForegroundThreshold = ForStudentForegroundThreshold,
                CoreThreshold = 0,
                MinMarkerDistance = ForAdGanMarkerDistance(settings.TrainedSemiAxis),
            },
            StudentDecoding.Cores => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.ThreeLevel,
                ForegroundThreshold = ForStudentForegroundThreshold,
                CoreThreshold = 0.5f,
            },
            StudentDecoding.Split => ForAdGan(settings),
            _ => throw new ArgumentOutOfRangeException(nameof(decoding), decoding, "Unknown StudentDecoding."),
        };
        options.WorkingScale = settings.ImageScale;
        options.ImageBoundaryBand = settings.Dimensions == 2 ? ForAdGanImageBoundaryBand : 0;
        return options;
    }

    /// <summary>
    /// The split decoding's minimum peak distance for a model trained on nuclei of median semi-axis <paramref name="trainedSemiAxis"/>
    /// (working pixels): 7 at <see cref="ForAdGanReferenceSemiAxis"/>, proportional otherwise (rounded, at least 1); 7 when null.
    /// </summary>
    public static int ForAdGanMarkerDistance(double? trainedSemiAxis)
    {
        if (trainedSemiAxis is not double a)
            return ForAdGanReferenceMarkerDistance;
        if (!(a > 0 && double.IsFinite(a)))
            throw new ArgumentOutOfRangeException(nameof(trainedSemiAxis), a, "The trained semi-axis must be positive and finite.");
        return Math.Max(1, (int)Math.Round(ForAdGanReferenceMarkerDistance * a / ForAdGanReferenceSemiAxis, MidpointRounding.AwayFromZero));
    }

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
        if (Mode is not (InstanceLabelMode.ThreeLevel or InstanceLabelMode.Semantic or InstanceLabelMode.DistancePeaks))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown mode.");
        if (Growth is not (InstanceGrowth.CoreDistance or InstanceGrowth.MapValue))
            throw new ArgumentOutOfRangeException(nameof(Growth), Growth, "Unknown growth.");
        if (Connectivity is not (Connectivity.Face or Connectivity.Full))
            throw new ArgumentOutOfRangeException(nameof(Connectivity), Connectivity, "Unknown connectivity.");
    }
}
