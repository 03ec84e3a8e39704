namespace Microsoft.ML.AdGan.Training;

/// <summary>Progress of a training run, reported every few iterations.</summary>
public sealed record AdGanTrainingMetrics(
    int Iteration,
    int TotalIterations,
    AdGanStepLosses Losses,
    double LearningRate,
    double IterationsPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"iter {Iteration}/{TotalIterations}  {Losses}  lr {LearningRate:G3}  {IterationsPerSecond:F2} it/s  ETA {EstimatedRemaining:hh\\:mm\\:ss}";
}
