using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Intensity statistics of an image against its instance labels, defined as in S-BSST265's image_description.csv:
/// mean background signal (label 0), mean foreground signal (label &gt; 0) and signal/noise = FG mean / BG mean
/// (the csv's values satisfy this ratio, e.g. 113.8 / 27 = 4.2). Noise measures are added for realism checks.
/// </summary>
/// <param name="BackgroundMean">Mean intensity over label 0.</param>
/// <param name="ForegroundMean">Mean intensity over label &gt; 0.</param>
/// <param name="SignalToNoise">ForegroundMean / BackgroundMean, the dataset's "Signal/Noise".</param>
/// <param name="BackgroundStd">Standard deviation over label 0 (noise plus uneven background).</param>
/// <param name="ContrastToNoise">(ForegroundMean - BackgroundMean) / BackgroundStd.</param>
/// <param name="PixelNoiseStd">Pixel-to-pixel noise: std of differences of horizontally adjacent background pixels over sqrt(2).</param>
/// <param name="ForegroundFraction">Fraction of pixels with a label.</param>
/// <param name="ObjectCount">Number of distinct non-zero labels.</param>
internal sealed record SimulationStatistics(
    double BackgroundMean,
    double ForegroundMean,
    double SignalToNoise,
    double BackgroundStd,
    double ContrastToNoise,
    double PixelNoiseStd,
    double ForegroundFraction,
    int ObjectCount)
{
    /// <summary>Computes the statistics of <paramref name="image"/> with the instance labels <paramref name="labels"/> of the same shape.</summary>
    public static SimulationStatistics Compute(ImageBuffer<float> image, ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        if (image.Shape != labels.Shape)
            throw new ArgumentException($"Image shape {image.Shape} differs from label shape {labels.Shape}.", nameof(labels));
        double bgSum = 0, bgSq = 0, fgSum = 0, diffSq = 0;
        long bgCount = 0, fgCount = 0, diffCount = 0;
        var objects = new HashSet<uint>();
        var data = image.Data;
        var label = labels.Data;
        int width = image.Shape.Width;
        for (int i = 0; i < data.Length; i++)
        {
            double v = data[i];
            if (label[i] == 0)
            {
                bgSum += v;
                bgSq += v * v;
                bgCount++;
                if (i % width != width - 1 && label[i + 1] == 0)
                {
                    double d = data[i + 1] - v;
                    diffSq += d * d;
                    diffCount++;
                }
            }
            else
            {
                fgSum += v;
                fgCount++;
                objects.Add(label[i]);
            }
        }

        double bgMean = bgCount > 0 ? bgSum / bgCount : double.NaN;
        double fgMean = fgCount > 0 ? fgSum / fgCount : double.NaN;
        double bgStd = bgCount > 0 ? Math.Sqrt(Math.Max(0, bgSq / bgCount - bgMean * bgMean)) : double.NaN;
        double noise = diffCount > 0 ? Math.Sqrt(diffSq / diffCount / 2) : double.NaN;
        return new SimulationStatistics(bgMean, fgMean, fgMean / bgMean, bgStd, (fgMean - bgMean) / bgStd, noise, (double)fgCount / data.Length, objects.Count);
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"BG {BackgroundMean:F1}  FG {ForegroundMean:F1}  S/N {SignalToNoise:F2}  BG std {BackgroundStd:F2}  CNR {ContrastToNoise:F1}  pixel noise {PixelNoiseStd:F2}  FG fraction {ForegroundFraction:F3}  objects {ObjectCount}";
}
