namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>
/// Scores of a dataset: each score is the mean over images of the per-image score (the headline figure), object
/// counts are totals; <see cref="Pooled"/> counts all pixels and objects of the dataset together; <see cref="PerImage"/>
/// lists every image.
/// </summary>
public sealed class SegmentationMetrics : SegmentationScores
{
    internal SegmentationMetrics(IReadOnlyList<ImageSegmentationMetrics> perImage)
        : base(perImage)
    {
        PerImage = perImage;
        var total = new ScoreCounts();
        foreach (var m in perImage)
            total.Add(m.Counts);
        Pooled = new SegmentationScores(total);
    }

    /// <summary>Number of images.</summary>
    public int ImageCount => PerImage.Count;

    /// <summary>All pixels and objects of the dataset counted together (AJI: sums of intersections and unions).</summary>
    public SegmentationScores Pooled { get; }

    /// <summary>The scores of every image, in input order.</summary>
    public IReadOnlyList<ImageSegmentationMetrics> PerImage { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{ImageCount} images  {Summary()}");
}
