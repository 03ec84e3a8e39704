using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>One group of <see cref="PriorsBenchmark"/>: annotated versus estimated nucleus semi-axes (image pixels) and nuclei per patch.</summary>
/// <param name="Group">Group name (Diagnosis | Preparation).</param>
/// <param name="ImageCount">Number of images in the group.</param>
/// <param name="Annotated">Semi-axis statistics of the annotated objects not touching the border (10th and 90th percentiles).</param>
/// <param name="AnnotatedCounts">Annotated nuclei per patch (same windows as the estimator).</param>
/// <param name="Estimated">The priors estimated from the group's images alone.</param>
/// <param name="MedianTolerance">Allowed relative error of the estimated median.</param>
/// <param name="MaxWidthRatio">Allowed ratio of the estimated range width to the annotated 10-90% span.</param>
public sealed record PriorsBenchmarkRow(string Group, int ImageCount, SemiAxisStatistics Annotated, CountStatistics AnnotatedCounts, EstimatedPriors Estimated, double MedianTolerance, double MaxWidthRatio)
{
    /// <summary>Estimated median semi-axis in image pixels.</summary>
    public double EstimatedMedian => Estimated.Measured.Median;

    /// <summary>Relative error of the estimated median: estimated / annotated - 1.</summary>
    public double MedianError => EstimatedMedian / Annotated.Median - 1;

    /// <summary>Annotated 10-90% span of the semi-axis in image pixels.</summary>
    public double AnnotatedSpan => Annotated.High - Annotated.Low;

    /// <summary>Width of the recommended SemiAxis range (Max - Min) converted back to image pixels.</summary>
    public double EstimatedWidth => (Estimated.SemiAxis.Max - Estimated.SemiAxis.Min) / Estimated.ImageScale;

    /// <summary>EstimatedWidth over AnnotatedSpan.</summary>
    public double WidthRatio => EstimatedWidth / AnnotatedSpan;

    /// <summary>True when the median is within tolerance and the range no wider than allowed.</summary>
    public bool Passed => Math.Abs(MedianError) <= MedianTolerance && WidthRatio <= MaxWidthRatio;
}
