using Microsoft.ML.AdGan.Imaging;
namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Options of <see cref="ThresholdSegmentation"/>, the classical baseline (defaults reproduce the reference's Python pipeline).</summary>
public sealed class ThresholdSegmentationOptions
{
    /// <summary>Threshold method. Default: <see cref="ThresholdMethod.Otsu"/>.</summary>
    public ThresholdMethod Method { get; set; } = ThresholdMethod.Otsu;

    /// <summary>Gaussian blur sigma in pixels before thresholding (0: none). Default: 1.</summary>
    public double BlurSigma { get; set; } = 1.0;

    /// <summary>Smallest nucleus diameter in pixels: sets the marker radius and the minimum object size. Default: 10.</summary>
    public double MinDiameter { get; set; } = 10.0;

    /// <summary>Radius of the peak footprint and minimum peak spacing, in pixels (null: round(MinDiameter / 1.5), half to even). Default: null.</summary>
    public int? MarkerRadius { get; set; }

    /// <summary>Objects with fewer pixels are dropped (null: pi (MinDiameter / 2)^2, or the ball volume in 3D). Default: null.</summary>
    public double? MinObjectSize { get; set; }

    /// <summary>Fill holes of the foreground and of every object. Default: true.</summary>
    public bool FillHoles { get; set; } = true;

    /// <summary>Drop objects touching the image border. Default: false.</summary>
    public bool DropBorderObjects { get; set; }

    /// <summary>
    /// Minimum distance in pixels between markers, and from the image border when <see cref="ExcludeBorderPeaks"/> (skimage
    /// peak_local_max's min_distance; the footprint a marker must dominate is <see cref="MarkerRadius"/> either way); null: the
    /// marker radius. Default: 1 (skimage's default: only the footprint separates peaks, the jitter breaking the ties of plateaus).
    /// </summary>
    public int? PeakSpacing { get; set; } = 1;

    /// <summary>Ignore distance peaks closer than <see cref="PeakSpacing"/> to the image border (skimage peak_local_max's exclude_border default). Default: true.</summary>
    public bool ExcludeBorderPeaks { get; set; } = true;

    /// <summary>Neighbourhood of the watershed flooding (skimage's watershed default, connectivity 1, is <see cref="Connectivity.Face"/>). Default: Face.</summary>
    public Connectivity WatershedConnectivity { get; set; } = Connectivity.Face;

    /// <summary>
    /// Largest jitter added to the distance transform inside the foreground before peaks are found, uniform in [0, this) per
    /// pixel, so that plateaus give single maxima (as CellProfiler does; the watershed floods the distance itself); 0: none.
    /// Default: 0.001.
    /// </summary>
    public double DistanceJitter { get; set; } = 0.001;

    /// <summary>Seed of the jitter (numpy's <c>RandomState(seed)</c> stream, one draw per pixel in raster order); the result depends on it a little. Default: 0.</summary>
    public int JitterSeed { get; set; }

    /// <summary>A copy of these options.</summary>
    public ThresholdSegmentationOptions Clone() => (ThresholdSegmentationOptions)MemberwiseClone();
}
