namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>Additive counts from which every score is computed; summing them over images gives the pooled figures.</summary>
internal sealed class ScoreCounts
{
    public long PixelTruePositives { get; set; }

    public long PixelFalsePositives { get; set; }

    public long PixelFalseNegatives { get; set; }

    public long AjiIntersection { get; set; }

    public long AjiUnion { get; set; }

    public long TruthObjects { get; set; }

    public long PredictedObjects { get; set; }

    /// <summary>Matched pairs at each of <see cref="SegmentationScores.IoUThresholds"/>.</summary>
    public long[] MatchesPerThreshold { get; } = new long[10];

    public double MatchedIoUSum { get; set; }

    public double CtcJaccardSum { get; set; }

    public void Add(ScoreCounts o)
    {
        PixelTruePositives += o.PixelTruePositives;
        PixelFalsePositives += o.PixelFalsePositives;
        PixelFalseNegatives += o.PixelFalseNegatives;
        AjiIntersection += o.AjiIntersection;
        AjiUnion += o.AjiUnion;
        TruthObjects += o.TruthObjects;
        PredictedObjects += o.PredictedObjects;
        for (int i = 0; i < MatchesPerThreshold.Length; i++)
            MatchesPerThreshold[i] += o.MatchesPerThreshold[i];
        MatchedIoUSum += o.MatchedIoUSum;
        CtcJaccardSum += o.CtcJaccardSum;
    }
}
