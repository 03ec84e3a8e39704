namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Options of <see cref="IntensityNormalizer"/> (immutable; copy with <c>with</c>).</summary>
public sealed record IntensityNormalizerOptions
{
    /// <summary>The mapping; default <see cref="NormalizationMode.Percentile"/> (robust to hot pixels and 16-bit data).</summary>
    public NormalizationMode Mode { get; init; } = NormalizationMode.Percentile;

    /// <summary>Percentile (0-100) mapped to -1 in <see cref="NormalizationMode.Percentile"/> mode; default 1.</summary>
    public double LowPercentile { get; init; } = 1.0;

    /// <summary>Percentile (0-100) mapped to +1 in <see cref="NormalizationMode.Percentile"/> mode; default 99.8.</summary>
    public double HighPercentile { get; init; } = 99.8;

    /// <summary>Strength K of the compression in <see cref="NormalizationMode.Log"/> mode (larger: dim values lifted more); default 20.</summary>
    public double LogCompression { get; init; } = 20;

    /// <summary>Clip the result to [-1, 1]; default true.</summary>
    public bool Clip { get; init; } = true;

    /// <summary>Checks the values and throws <see cref="ArgumentOutOfRangeException"/> naming the wrong one.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown normalisation mode.");
        if (!(LowPercentile >= 0 && LowPercentile < HighPercentile && HighPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(LowPercentile),
                $"Percentiles must satisfy 0 <= LowPercentile < HighPercentile <= 100; got {LowPercentile} and {HighPercentile}.");
        if (!(LogCompression > 0 && double.IsFinite(LogCompression)))
            throw new ArgumentOutOfRangeException(nameof(LogCompression), LogCompression, "LogCompression must be positive and finite.");
    }
}
