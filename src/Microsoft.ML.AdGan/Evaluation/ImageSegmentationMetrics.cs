namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>The scores of one image (a row of <see cref="SegmentationMetrics.PerImage"/>).</summary>
public sealed class ImageSegmentationMetrics : SegmentationScores
{
    internal ImageSegmentationMetrics(string name, ScoreCounts counts)
        : base(counts)
    {
        Name = name;
        Counts = counts;
    }

    /// <summary>The image's name (file name or row index).</summary>
    public string Name { get; }

    internal ScoreCounts Counts { get; }
}
