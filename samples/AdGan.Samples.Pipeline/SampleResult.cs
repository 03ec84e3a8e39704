using Microsoft.ML.AdGan.Evaluation;

namespace AdGan.Samples.Pipeline;

/// <summary>What the sample found.</summary>
/// <param name="Metrics">Scores of the labelled nuclei against the simulation's exact labels.</param>
/// <param name="ReloadedModelAgrees">True when the model loaded back from model.zip gives the same label maps.</param>
/// <param name="ImageCount">Images segmented.</param>
public sealed record SampleResult(SegmentationMetrics Metrics, bool ReloadedModelAgrees, int ImageCount);
