using System.Globalization;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>Nuclei per training patch at the working scale, over every patch position of every image.</summary>
/// <param name="Positions">Number of patch positions counted.</param>
/// <param name="Median">Median nuclei per patch.</param>
/// <param name="Low">Nuclei per patch at the <paramref name="LowPercentile"/>.</param>
/// <param name="High">Nuclei per patch at the <paramref name="HighPercentile"/>.</param>
/// <param name="LowPercentile">Percentile (0-100) of <paramref name="Low"/>.</param>
/// <param name="HighPercentile">Percentile (0-100) of <paramref name="High"/>.</param>
public sealed record CountStatistics(int Positions, double Median, double Low, double High, double LowPercentile, double HighPercentile)
{
    /// <summary>One line: positions, median and percentile range.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"positions={Positions} median={Median:F1} p{LowPercentile:G3}={Low:F1} p{HighPercentile:G3}={High:F1}");
}
