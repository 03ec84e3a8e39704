namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>
/// Scores of a dataset: each property is the mean over images of the per-image score (the headline figure);
/// <see cref="Pooled"/> counts all pixels and objects of the dataset together; <see cref="PerImage"/> lists every image.
/// </summary>
public sealed class SegmentationMetrics
{
    internal SegmentationMetrics(IReadOnlyList<ImageSegmentationMetrics> perImage)
    {
        PerImage = perImage;
        var total = new ScoreCounts();
        foreach (var m in perImage)
            total.Add(m.Counts);
        Pooled = new SegmentationScores(total);
        double Mean(Func<SegmentationScores, double> f) => perImage.Count == 0 ? double.NaN : perImage.Average(f);
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
    }

    /// <summary>Number of images.</summary>
    public int ImageCount => PerImage.Count;

    /// <summary>Mean pixel Dice.</summary>
    public double Dice { get; }

    /// <summary>Mean pixel IoU.</summary>
    public double IoU { get; }

    /// <summary>Mean pixel precision.</summary>
    public double Precision { get; }

    /// <summary>Mean pixel recall.</summary>
    public double Recall { get; }

    /// <summary>Mean Aggregated Jaccard Index.</summary>
    public double AggregatedJaccardIndex { get; }

    /// <summary>Mean object precision at IoU &gt; 0.5.</summary>
    public double ObjectPrecision { get; }

    /// <summary>Mean object recall at IoU &gt; 0.5.</summary>
    public double ObjectRecall { get; }

    /// <summary>Mean object F1 at IoU &gt; 0.5.</summary>
    public double F1At50 { get; }

    /// <summary>Mean over images of the object F1 averaged over IoU 0.5:0.05:0.95.</summary>
    public double MeanF1 { get; }

    /// <summary>Mean panoptic quality.</summary>
    public double PanopticQuality { get; }

    /// <summary>Mean segmentation quality.</summary>
    public double SegmentationQuality { get; }

    /// <summary>Mean recognition quality.</summary>
    public double RecognitionQuality { get; }

    /// <summary>Mean Cell Tracking Challenge SEG.</summary>
    public double CtcSeg { get; }

    /// <summary>All pixels and objects of the dataset counted together (AJI: sums of intersections and unions).</summary>
    public SegmentationScores Pooled { get; }

    /// <summary>The scores of every image, in input order.</summary>
    public IReadOnlyList<ImageSegmentationMetrics> PerImage { get; }

    /// <inheritdoc/>
    public override string ToString()
        => FormattableString.Invariant($"{ImageCount} images  Dice {Dice:F3}  IoU {IoU:F3}  AJI {AggregatedJaccardIndex:F3}  F1@0.5 {F1At50:F3}  mF1 {MeanF1:F3}  PQ {PanopticQuality:F3}  SEG {CtcSeg:F3}");
}
