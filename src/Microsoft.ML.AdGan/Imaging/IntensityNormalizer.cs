namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Maps raw intensities to [-1, 1] for the networks: robust percentiles (default 1% to 99.8%), the reference's fixed 8-bit
/// map, per-image min-max, percentiles with a logarithmic compression, or the foreground's median as the midpoint.
/// Statistics are taken over the whole image or volume; NaN values are ignored and stay NaN.
/// A constant image (high bound equal to low bound) maps to -1 everywhere.
/// </summary>
public static class IntensityNormalizer
{
    /// <summary>Returns a normalised copy (same shape and voxel size).</summary>
    public static ImageBuffer<float> Normalize(ImageBuffer<float> image, IntensityNormalizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var copy = (float[])image.Data.Clone();
        NormalizeInPlace(copy, options);
        return new ImageBuffer<float>(copy, image.Shape, image.VoxelSize);
    }

    /// <summary>Normalises values in place and returns the (low, high) raw values that were mapped to -1 and 1.</summary>
    public static (float Low, float High) NormalizeInPlace(Span<float> data, IntensityNormalizerOptions? options = null)
    {
        options ??= new IntensityNormalizerOptions();
        options.Validate();
        var (low, high) = Bounds(data, options);
        Apply(data, low, high, options.Clip);
        if (options.Mode == NormalizationMode.Log && high > low)
            Compress(data, options.LogCompression);
        return (low, high);
    }

    /// <summary>Maps y in [-1, 1] to 2 log(1 + K t) / log(1 + K) - 1 with t = (y + 1) / 2 (values below -1 stay linear).</summary>
    private static void Compress(Span<float> data, double k)
    {
        double norm = 1 / Math.Log(1 + k);
        for (int i = 0; i < data.Length; i++)
        {
            float y = data[i];
            if (float.IsNaN(y) || y <= -1)
                continue;
            data[i] = (float)(2 * Math.Log(1 + k * (y + 1) / 2) * norm - 1);
        }
    }

    /// <summary>The raw values that map to -1 and 1 under the options (percentiles use linear interpolation, as numpy's default).</summary>
    public static (float Low, float High) Bounds(ReadOnlySpan<float> data, IntensityNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Mode)
        {
            case NormalizationMode.Fixed8Bit:
                return (0f, 255f);
            case NormalizationMode.MinMax:
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (var v in data)
                {
                    if (float.IsNaN(v))
                        continue;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                return float.IsInfinity(min) ? (0f, 0f) : (min, max);
            case NormalizationMode.ForegroundMedian:
                return ForegroundMedianBounds(data, options.LowPercentile);
            default:
                var sorted = new float[data.Length];
                int n = 0;
                foreach (var v in data)
                    if (!float.IsNaN(v))
                        sorted[n++] = v;
                if (n == 0)
                    return (0f, 0f);
                Array.Sort(sorted, 0, n);
                return (Percentile(sorted, n, options.LowPercentile), Percentile(sorted, n, options.HighPercentile));
        }
    }

    /// <summary>Maps [low, high] linearly to [-1, 1] in place, optionally clipping.</summary>
    public static void Apply(Span<float> data, float low, float high, bool clip = true)
    {
        if (!(high > low))
        {
            for (int i = 0; i < data.Length; i++)
                if (!float.IsNaN(data[i]))
                    data[i] = -1f;
            return;
        }

        float scale = 2f / (high - low);
        for (int i = 0; i < data.Length; i++)
        {
            float y = (data[i] - low) * scale - 1f;
            data[i] = clip ? Math.Clamp(y, -1f, 1f) : y;
        }
    }

    /// <summary>
    /// Low: the low percentile; high: low + 2 (median of the foreground - low), the foreground being the values above
    /// Otsu's threshold of the log intensities (the log keeps a few very bright values from deciding the split).
    /// </summary>
    private static (float Low, float High) ForegroundMedianBounds(ReadOnlySpan<float> data, double lowPercent)
    {
        var sorted = new float[data.Length];
        int n = 0;
        foreach (var v in data)
            if (!float.IsNaN(v))
                sorted[n++] = v;
        if (n == 0)
            return (0f, 0f);
        Array.Sort(sorted, 0, n);
        float low = Percentile(sorted, n, lowPercent), top = Percentile(sorted, n, 99.8);
        if (!(top > low))
            return (low, low);
        float t = Thresholds.LogOtsu(n == sorted.Length ? sorted : sorted[..n]);
        int first = Array.FindIndex(sorted, 0, n, v => v > t);
        if (first < 0)
            return (low, top);
        float median = Percentile(sorted[first..n], n - first, 50);
        return median > low ? (low, low + 2 * (median - low)) : (low, top);
    }

    private static float Percentile(float[] sorted, int n, double percent)
    {
        double rank = percent / 100.0 * (n - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, n - 1);
        double t = rank - lo;
        return (float)(sorted[lo] + (sorted[hi] - sorted[lo]) * t);
    }
}
