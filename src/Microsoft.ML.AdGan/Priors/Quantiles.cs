namespace Microsoft.ML.AdGan.Priors;

/// <summary>Percentiles with linear interpolation between order statistics (numpy's default).</summary>
internal static class Quantiles
{
    /// <summary>The <paramref name="percent"/>-th percentile (0-100) of values already sorted ascending; NaN when empty.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
            return double.NaN;
        double pos = Math.Clamp(percent, 0, 100) / 100.0 * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The values sorted ascending, NaNs dropped.</summary>
    public static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(array);
        return array;
    }
}
