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
}
