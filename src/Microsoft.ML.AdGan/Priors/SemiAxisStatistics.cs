using System.Globalization;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>Robust summary of a set of nucleus semi-axes (pixels): count, median and the two percentiles that bound the prior.</summary>
/// <param name="Count">Number of objects summarised.</param>
/// <param name="Median">Median semi-axis.</param>
/// <param name="Low">Semi-axis at the <paramref name="LowPercentile"/>.</param>
/// <param name="High">Semi-axis at the <paramref name="HighPercentile"/>.</param>
/// <param name="LowPercentile">Percentile (0-100) of <paramref name="Low"/>.</param>
/// <param name="HighPercentile">Percentile (0-100) of <paramref name="High"/>.</param>
/// <param name="Mean">Mean semi-axis.</param>
public sealed record SemiAxisStatistics(int Count, double Median, double Low, double High, double LowPercentile, double HighPercentile, double Mean)
{
    /// <summary>Statistics of no object: count 0 and NaN figures.</summary>
    public static SemiAxisStatistics Empty(double lowPercentile, double highPercentile)
        => new(0, double.NaN, double.NaN, double.NaN, lowPercentile, highPercentile, double.NaN);

    /// <summary>Summarises <paramref name="semiAxes"/> (NaNs ignored) with the given percentiles (0-100).</summary>
    public static SemiAxisStatistics From(IEnumerable<double> semiAxes, double lowPercentile, double highPercentile)
    {
        ArgumentNullException.ThrowIfNull(semiAxes);
        if (!(lowPercentile >= 0 && lowPercentile <= highPercentile && highPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(lowPercentile), $"Percentiles ({lowPercentile}, {highPercentile}) must satisfy 0 <= low <= high <= 100.");
        var sorted = Quantiles.Sorted(semiAxes);
        if (sorted.Length == 0)
            return Empty(lowPercentile, highPercentile);
        return new SemiAxisStatistics(sorted.Length, Quantiles.OfSorted(sorted, 50), Quantiles.OfSorted(sorted, lowPercentile),
            Quantiles.OfSorted(sorted, highPercentile), lowPercentile, highPercentile, sorted.Average());
    }

    /// <summary>The same statistics with every length multiplied by <paramref name="scale"/>.</summary>
    public SemiAxisStatistics Scaled(double scale) => this with { Median = Median * scale, Low = Low * scale, High = High * scale, Mean = Mean * scale };

    /// <summary>One line: count, median and percentile range.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"n={Count} median={Median:F1} p{LowPercentile:G3}={Low:F1} p{HighPercentile:G3}={High:F1} mean={Mean:F1}");
}
