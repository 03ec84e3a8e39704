namespace Microsoft.ML.AdGan.Imaging;

/// <summary>How raw intensities are mapped to the [-1, 1] range the networks see.</summary>
public enum NormalizationMode
{
    /// <summary>Robust: the low and high percentiles of the image map to -1 and 1 (default 1% and 99.8%), values beyond are clipped.</summary>
    Percentile = 0,

    /// <summary>The reference code's fixed 8-bit map x / 127.5 - 1 ([0, 255] to [-1, 1]); use it with checkpoints imported from the authors.</summary>
    Fixed8Bit = 1,

    /// <summary>The paper's per-image minimum and maximum map to -1 and 1.</summary>
    MinMax = 2,

    /// <summary>
    /// As <see cref="Percentile"/>, then compressed logarithmically, log(1 + K t) / log(1 + K) of the position t in [0, 1]
    /// between the bounds (K: <see cref="IntensityNormalizerOptions.LogCompression"/>), so that dim nuclei keep contrast
    /// beside a few very bright ones.
    /// </summary>
    Log = 3,

    /// <summary>
    /// The low percentile maps to -1 and the median of the foreground to 0 (foreground: above Otsu's threshold of the
    /// log intensities, which a few very bright nuclei do not move much); brighter values clip at 1. The typical nucleus,
    /// not the brightest, sets the scale.
    /// </summary>
    ForegroundMedian = 4,
}
