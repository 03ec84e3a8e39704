using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// Options of <see cref="PriorEstimator"/>. Defaults: 256-pixel patches at the working scale, no target radius (scale 1),
/// semi-axis range from the 10th to 90th percentile of the measured nuclei, count range from the 10th to 90th percentile
/// over patch positions, Otsu threshold after a Gaussian blur of 1 pixel on a copy downscaled so nuclei are about 12 pixels in
/// radius, objects outside 0.25 to 2.5 times the median area ignored for the size statistics.
/// </summary>
public sealed class PriorEstimationOptions
{
    /// <summary>Side in pixels of a square training patch at the working scale (the masks' PatchShape). Default 256.</summary>
    public int PatchSize { get; set; } = 256;

    /// <summary>
    /// Wanted median nucleus semi-axis in pixels at the working scale: the recommended ImageScale is TargetRadius divided by the
    /// measured median (null: keep the images' own scale, ImageScale 1). Default null.
    /// </summary>
    public double? TargetRadius { get; set; }

    /// <summary>Percentiles (0-100) of the measured semi-axes that bound the recommended SemiAxis range. Default (10, 90).</summary>
    public (double Low, double High) SemiAxisPercentiles { get; set; } = (10, 90);

    /// <summary>Percentiles (0-100) of the nuclei per patch (over all patch positions of all images) that bound CountPerPatch. Default (10, 90).</summary>
    public (double Low, double High) CountPercentiles { get; set; } = (10, 90);

    /// <summary>Threshold of the rough segmentation. Default <see cref="ThresholdMethod.Otsu"/>.</summary>
    public ThresholdMethod Method { get; set; } = ThresholdMethod.Otsu;

    /// <summary>Gaussian blur sigma in pixels (at the analysis scale) before thresholding. Default 1.</summary>
    public double BlurSigma { get; set; } = 1.0;

    /// <summary>
    /// Images whose rough nucleus radius exceeds this many pixels are segmented on a copy downscaled to it (faster and less
    /// sensitive to texture; never upscaled); null segments at full resolution. Default 12.
    /// </summary>
    public double? AnalysisRadius { get; set; } = 12;

    /// <summary>Distance-peak spacing of the watershed split as a fraction of the rough nucleus radius. Default 0.6.</summary>
    public double MarkerSpacing { get; set; } = 0.6;

    /// <summary>Objects smaller than this fraction of the image's median object area are ignored (debris, fragments). Default 0.25.</summary>
    public double MinRelativeArea { get; set; } = 0.25;

    /// <summary>Objects larger than this multiple of the image's median object area are left out of the size statistics (clumps). Default 2.5.</summary>
    public double MaxRelativeArea { get; set; } = 2.5;

    /// <summary>Objects with fewer pixels (at the analysis scale) are ignored whatever the median. Default 9.</summary>
    public int MinArea { get; set; } = 9;

    /// <summary>How image files are read (channel choice for multi-channel files). Default: average the channels, every page.</summary>
    public MicroscopyReadOptions? ReadOptions { get; set; }

    /// <summary>Also read images from subfolders. Default false.</summary>
    public bool Recursive { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option and its value.</summary>
    public void Validate()
    {
        if (PatchSize < 8)
            throw new ArgumentException($"{nameof(PatchSize)} must be at least 8 pixels, got {PatchSize}.", nameof(PatchSize));
        if (TargetRadius is double t && !(t >= 1 && double.IsFinite(t)))
            throw new ArgumentException($"{nameof(TargetRadius)} must be null or a finite radius of at least 1 pixel, got {t}.", nameof(TargetRadius));
        CheckPercentiles(SemiAxisPercentiles, nameof(SemiAxisPercentiles));
        CheckPercentiles(CountPercentiles, nameof(CountPercentiles));
        if (!Enum.IsDefined(Method))
            throw new ArgumentException($"{nameof(Method)} {(int)Method} is not a defined threshold method.", nameof(Method));
        if (!(BlurSigma >= 0 && double.IsFinite(BlurSigma)))
            throw new ArgumentException($"{nameof(BlurSigma)} must be finite and not negative, got {BlurSigma}.", nameof(BlurSigma));
        if (AnalysisRadius is double r && !(r >= 4 && double.IsFinite(r)))
            throw new ArgumentException($"{nameof(AnalysisRadius)} must be null or at least 4 pixels, got {r}.", nameof(AnalysisRadius));
        if (!(MarkerSpacing > 0 && MarkerSpacing <= 2))
            throw new ArgumentException($"{nameof(MarkerSpacing)} must lie in (0, 2], got {MarkerSpacing}.", nameof(MarkerSpacing));
        if (!(MinRelativeArea >= 0 && MinRelativeArea < 1))
            throw new ArgumentException($"{nameof(MinRelativeArea)} must lie in [0, 1), got {MinRelativeArea}.", nameof(MinRelativeArea));
        if (!(MaxRelativeArea > 1 && !double.IsNaN(MaxRelativeArea)))
            throw new ArgumentException($"{nameof(MaxRelativeArea)} must be above 1, got {MaxRelativeArea}.", nameof(MaxRelativeArea));
        if (MinArea < 1)
            throw new ArgumentException($"{nameof(MinArea)} must be at least 1 pixel, got {MinArea}.", nameof(MinArea));
    }

    /// <summary>A copy of these options.</summary>
    public PriorEstimationOptions Clone() => (PriorEstimationOptions)MemberwiseClone();

    private static void CheckPercentiles((double Low, double High) p, string name)
    {
        if (!(p.Low >= 0 && p.Low < p.High && p.High <= 100))
            throw new ArgumentException($"{name} ({p.Low}, {p.High}) must satisfy 0 <= Low < High <= 100.", name);
    }
}
