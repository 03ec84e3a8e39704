using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>The student's scores with one decoding, in one run of <see cref="QualityBenchmark"/>.</summary>
/// <param name="Decoding">How its maps were labelled.</param>
/// <param name="Metrics">Scores against the truth (means over images).</param>
public sealed record QualityBenchmarkStudentRow(StudentDecoding Decoding, SegmentationMetrics Metrics)
{
    /// <summary>Recall of the dim nuclei of a simulated dim-beside-bright selection (pooled over images); null otherwise.</summary>
    public DimNucleusScores? DimNuclei { get; init; }
}
