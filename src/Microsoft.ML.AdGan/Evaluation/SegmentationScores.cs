namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>
/// Pixel and object scores of a segmentation against its truth (immutable). Objects are matched at IoU strictly above a
/// threshold (unique for thresholds of 0.5 and more). Truth and prediction both empty score 1. For a dataset
/// (<see cref="SegmentationMetrics"/>) each score is the mean over its images.
/// </summary>
public class SegmentationScores
{
    internal SegmentationScores(ScoreCounts c)
    {
        Dice = Ratio(2 * c.PixelTruePositives, 2 * c.PixelTruePositives + c.PixelFalsePositives + c.PixelFalseNegatives);
        IoU = Ratio(c.PixelTruePositives, c.PixelTruePositives + c.PixelFalsePositives + c.PixelFalseNegatives);
        Precision = Ratio(c.PixelTruePositives, c.PixelTruePositives + c.PixelFalsePositives, c.PixelFalseNegatives);
        Recall = Ratio(c.PixelTruePositives, c.PixelTruePositives + c.PixelFalseNegatives, c.PixelFalsePositives);
        AggregatedJaccardIndex = c.AjiUnion == 0 ? 1 : (double)c.AjiIntersection / c.AjiUnion;
        long tp = c.MatchesPerThreshold[0];
        long fp = c.PredictedObjects - tp, fn = c.TruthObjects - tp;
        ObjectPrecision = Ratio(tp, tp + fp, fn);
        ObjectRecall = Ratio(tp, tp + fn, fp);
        F1At50 = Ratio(2 * tp, 2 * tp + fp + fn);
        double sum = 0;
        foreach (long m in c.MatchesPerThreshold)
            sum += Ratio(2 * m, c.TruthObjects + c.PredictedObjects);
        MeanF1 = sum / c.MatchesPerThreshold.Length;
        RecognitionQuality = F1At50;
        SegmentationQuality = tp == 0 ? (c.TruthObjects + c.PredictedObjects == 0 ? 1 : 0) : c.MatchedIoUSum / tp;
        PanopticQuality = SegmentationQuality * RecognitionQuality;
        CtcSeg = c.TruthObjects == 0 ? (c.PredictedObjects == 0 ? 1 : 0) : c.CtcJaccardSum / c.TruthObjects;
        TruthObjectCount = c.TruthObjects;
        PredictedObjectCount = c.PredictedObjects;
    }

    /// <summary>The mean of each score over <paramref name="items"/> (NaN when empty); object counts are summed.</summary>
    private protected SegmentationScores(IReadOnlyList<SegmentationScores> items)
    {
        double Mean(Func<SegmentationScores, double> f) => items.Count == 0 ? double.NaN : items.Average(f);
        Dice = Mean(m => m.Dice);
        IoU = Mean(m => m.IoU);
        Precision = Mean(m => m.Precision);
        Recall = Mean(m => m.Recall);
        AggregatedJaccardIndex = Mean(m => m.AggregatedJaccardIndex);
        ObjectPrecision = Mean(m => m.ObjectPrecision);
        ObjectRecall = Mean(m => m.ObjectRecall);
        F1At50 = Mean(m => m.F1At50);
        MeanF1 = Mean(m => m.MeanF1);
        PanopticQuality = Mean(m => m.PanopticQuality);
        SegmentationQuality = Mean(m => m.SegmentationQuality);
        RecognitionQuality = Mean(m => m.RecognitionQuality);
        CtcSeg = Mean(m => m.CtcSeg);
        TruthObjectCount = items.Sum(m => m.TruthObjectCount);
        PredictedObjectCount = items.Sum(m => m.PredictedObjectCount);
    }

    /// <summary>The IoU thresholds of <see cref="MeanF1"/>: 0.5, 0.55, ..., 0.95.</summary>
    public static IReadOnlyList<double> IoUThresholds { get; } = Enumerable.Range(0, 10).Select(i => 0.5 + 0.05 * i).ToArray();

    /// <summary>Pixel Dice (F1) of foreground (label &gt; 0).</summary>
    public double Dice { get; }

    /// <summary>Pixel intersection over union (Jaccard) of foreground.</summary>
    public double IoU { get; }

    /// <summary>Pixel precision of foreground.</summary>
    public double Precision { get; }

    /// <summary>Pixel recall of foreground.</summary>
    public double Recall { get; }

    /// <summary>Aggregated Jaccard Index (Kumar et al. 2017).</summary>
    public double AggregatedJaccardIndex { get; }

    /// <summary>Object precision at IoU &gt; 0.5.</summary>
    public double ObjectPrecision { get; }

    /// <summary>Object recall at IoU &gt; 0.5.</summary>
    public double ObjectRecall { get; }

    /// <summary>Object F1 at IoU &gt; 0.5.</summary>
    public double F1At50 { get; }

    /// <summary>Mean of the object F1 over IoU thresholds 0.5:0.05:0.95.</summary>
    public double MeanF1 { get; }

    /// <summary>Panoptic quality, SQ x RQ (Kirillov et al. 2019).</summary>
    public double PanopticQuality { get; }

    /// <summary>Segmentation quality: mean IoU of the matched pairs.</summary>
    public double SegmentationQuality { get; }

    /// <summary>Recognition quality: object F1 at IoU &gt; 0.5.</summary>
    public double RecognitionQuality { get; }

    /// <summary>Cell Tracking Challenge SEG: mean over truth objects of the Jaccard of the prediction covering more than half of it (0 if none).</summary>
    public double CtcSeg { get; }

    /// <summary>Number of truth objects.</summary>
    public long TruthObjectCount { get; }

    /// <summary>Number of predicted objects.</summary>
    public long PredictedObjectCount { get; }

    /// <inheritdoc/>
    public override string ToString()
        => Summary();

    /// <summary>The headline scores on one line.</summary>
    private protected string Summary()
        => FormattableString.Invariant($"Dice {Dice:F3}  IoU {IoU:F3}  AJI {AggregatedJaccardIndex:F3}  F1@0.5 {F1At50:F3}  mF1 {MeanF1:F3}  PQ {PanopticQuality:F3}  SEG {CtcSeg:F3}");

    /// <summary>num / den; when den is 0 the score is 1 if <paramref name="other"/> is 0 too (nothing to find, nothing found), else 0.</summary>
    private static double Ratio(double num, double den, double other = 0)
        => den == 0 ? (other == 0 ? 1 : 0) : num / den;
}
