namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Global intensity thresholds (as skimage.filters): foreground is the pixels strictly above the threshold.</summary>
internal static class Thresholds
{
    /// <summary>The threshold of <paramref name="image"/> by <paramref name="method"/>.</summary>
    public static float Of(ImageBuffer<float> image, ThresholdMethod method)
    {
        ArgumentNullException.ThrowIfNull(image);
        return method switch
        {
            ThresholdMethod.Otsu => Otsu(image.Data),
            ThresholdMethod.Li => Li(image.Data),
            ThresholdMethod.LogOtsu => LogOtsu(image.Data),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a single threshold over the image (Local sets one per object)."),
        };
    }

    /// <summary>Otsu's threshold on a histogram of <paramref name="bins"/> bins over the image range (skimage threshold_otsu, nbins 256).</summary>
    public static float Otsu(ImageBuffer<float> image, int bins = 256)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Otsu(image.Data, bins);
    }

    /// <summary>Otsu's threshold of a set of values.</summary>
    public static float Otsu(float[] values, int bins = 256)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (bins < 2)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "Otsu needs at least 2 bins.");
        var (min, max) = Range(values);
        if (min == max)
            return (float)min;

        // numpy.histogram with range (min, max): edges linspace(min, max, bins + 1), the last bin closed.
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++)
            edges[i] = min + (max - min) * i / bins;
        edges[bins] = max;
        var counts = new double[bins];
        double norm = bins / (max - min);
        foreach (float f in values)
        {
            double v = f;
            if (double.IsNaN(v))
                continue;
            int b = (int)((v - min) * norm);
            if (b >= bins)
                b = bins - 1;
            if (b < 0)
                b = 0;
            if (v < edges[b])
                b--;
            else if (b != bins - 1 && v >= edges[b + 1])
                b++;
            counts[b]++;
        }

        var centers = new double[bins];
        for (int i = 0; i < bins; i++)
            centers[i] = (edges[i] + edges[i + 1]) / 2;

        var weight1 = new double[bins];
        var weight2 = new double[bins];
        var mean1 = new double[bins];
        var mean2 = new double[bins];
        double cw = 0, cm = 0;
        for (int i = 0; i < bins; i++)
        {
            cw += counts[i];
            cm += counts[i] * centers[i];
            weight1[i] = cw;
            mean1[i] = cm / cw;
        }

        cw = 0;
        cm = 0;
        for (int i = bins - 1; i >= 0; i--)
        {
            cw += counts[i];
            cm += counts[i] * centers[i];
            weight2[i] = cw;
            mean2[i] = cm / cw;
        }

        int best = 0;
        double bestVariance = double.NegativeInfinity;
        for (int i = 0; i < bins - 1; i++)
        {
            double diff = mean1[i] - mean2[i + 1];
            double variance = weight1[i] * weight2[i + 1] * diff * diff;
            if (variance > bestVariance)
            {
                bestVariance = variance;
                best = i;
            }
        }

        return (float)centers[best];
    }

    /// <summary>
    /// Otsu's threshold of log(v - p1 + eps), p1 the 1st percentile and eps a hundredth of the 1st to 99.8th percentile range,
    /// returned on the values' own scale: a few very bright objects stretch the log scale far less than the linear one, so
    /// the split stays between the background and the ordinary objects.
    /// </summary>
    public static float LogOtsu(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => !float.IsNaN(v)).ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("The image has no finite value to threshold.", nameof(values));
        Array.Sort(sorted);
        double low = SortedPercentile(sorted, 1), high = SortedPercentile(sorted, 99.8);
        if (!(high > low))
            return Otsu(values);
        double eps = (high - low) / 100;
        var logs = new float[sorted.Length];
        for (int i = 0; i < logs.Length; i++)
            logs[i] = (float)Math.Log(Math.Max(sorted[i] - low, 0) + eps);
        return (float)(Math.Exp(Otsu(logs)) - eps + low);
    }

    private static double SortedPercentile(float[] sorted, double percent)
    {
        double rank = percent / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>Li's minimum cross-entropy threshold (skimage threshold_li: iterative, mean as first guess).</summary>
    public static float Li(ImageBuffer<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Li(image.Data);
    }

    /// <summary>Li's minimum cross-entropy threshold of a set of values.</summary>
    public static float Li(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (min, max) = Range(values);
        if (min == max)
            return (float)min;
        var shifted = values.Where(v => !float.IsNaN(v)).Select(v => (double)v - min).ToArray();
        var sorted = (double[])shifted.Clone();
        Array.Sort(sorted);
        double tolerance = double.PositiveInfinity;
        for (int i = 1; i < sorted.Length; i++)
        {
            double diff = sorted[i] - sorted[i - 1];
            if (diff > 0 && diff < tolerance)
                tolerance = diff;
        }

        tolerance /= 2;
        double tNext = shifted.Average();
        double tCurr = -2 * tolerance;
        while (Math.Abs(tNext - tCurr) > tolerance)
        {
            tCurr = tNext;
            double sumFore = 0, sumBack = 0;
            long nFore = 0, nBack = 0;
            foreach (double v in shifted)
            {
                if (v > tCurr)
                {
                    sumFore += v;
                    nFore++;
                }
                else
                {
                    sumBack += v;
                    nBack++;
                }
            }

            double meanFore = nFore > 0 ? sumFore / nFore : double.NaN;
            double meanBack = nBack > 0 ? sumBack / nBack : double.NaN;
            if (meanBack == 0 || double.IsNaN(meanFore) || double.IsNaN(meanBack))
                break;
            tNext = (meanBack - meanFore) / (Math.Log(meanBack) - Math.Log(meanFore));
        }

        return (float)(tNext + min);
    }

    private static (double Min, double Max) Range(float[] values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
                continue;
            if (v < min)
                min = v;
            if (v > max)
                max = v;
        }

        if (double.IsPositiveInfinity(min))
            throw new ArgumentException("The image has no finite value to threshold.", nameof(values));
        return (min, max);
    }
}
