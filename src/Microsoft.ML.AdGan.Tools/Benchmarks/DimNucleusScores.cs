using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// How well the ordinary (dim) nuclei of a simulated dim-beside-bright case are found, pooled over images: the share of
/// their pixels inside any predicted object, and the share of them matched by a predicted object at IoU &gt; 0.5.
/// </summary>
public sealed class DimNucleusScores
{
    private DimNucleusScores(long pixels, long recalledPixels, int nuclei, int matched)
    {
        Pixels = pixels;
        RecalledPixels = recalledPixels;
        Nuclei = nuclei;
        Matched = matched;
    }

    /// <summary>Pixels of dim nuclei.</summary>
    public long Pixels { get; }

    /// <summary>Of those, pixels inside a predicted object.</summary>
    public long RecalledPixels { get; }

    /// <summary>Dim nuclei.</summary>
    public int Nuclei { get; }

    /// <summary>Of those, nuclei matched by a predicted object at IoU &gt; 0.5.</summary>
    public int Matched { get; }

    /// <summary>Pixel recall of the dim nuclei (NaN without any).</summary>
    public double PixelRecall => Pixels == 0 ? double.NaN : (double)RecalledPixels / Pixels;

    /// <summary>Object recall of the dim nuclei at IoU &gt; 0.5 (NaN without any).</summary>
    public double ObjectRecall => Nuclei == 0 ? double.NaN : (double)Matched / Nuclei;

    /// <summary>Scores one image: every truth object not in <paramref name="bright"/> is a dim nucleus.</summary>
    public static DimNucleusScores Compute(ImageBuffer<uint> truth, ImageBuffer<uint> prediction, IReadOnlyCollection<uint> bright)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(bright);
        if (truth.Data.Length != prediction.Data.Length)
            throw new ArgumentException($"Truth {truth.Shape} and prediction {prediction.Shape} differ in size.", nameof(prediction));
        var excluded = bright.ToHashSet();
        var truthArea = new Dictionary<uint, long>();
        var predictedArea = new Dictionary<uint, long>();
        var overlap = new Dictionary<(uint, uint), long>();
        long recalled = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            uint t = truth.Data[i], p = prediction.Data[i];
            if (p != 0)
                predictedArea[p] = predictedArea.GetValueOrDefault(p) + 1;
            if (t == 0 || excluded.Contains(t))
                continue;
            truthArea[t] = truthArea.GetValueOrDefault(t) + 1;
            if (p == 0)
                continue;
            recalled++;
            overlap[(t, p)] = overlap.GetValueOrDefault((t, p)) + 1;
        }

        var matched = new HashSet<uint>();
        foreach (var ((t, p), n) in overlap)
            if (n / (double)(truthArea[t] + predictedArea[p] - n) > 0.5)
                matched.Add(t);
        return new DimNucleusScores(truthArea.Values.Sum(), recalled, truthArea.Count, matched.Count);
    }

    /// <summary>The scores of several images pooled.</summary>
    public static DimNucleusScores Pool(IEnumerable<DimNucleusScores> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        long pixels = 0, recalled = 0;
        int nuclei = 0, matched = 0;
        foreach (var s in images)
        {
            pixels += s.Pixels;
            recalled += s.RecalledPixels;
            nuclei += s.Nuclei;
            matched += s.Matched;
        }

        return new DimNucleusScores(pixels, recalled, nuclei, matched);
    }
}
