using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>One training run of <see cref="QualityBenchmark"/>: its seed, how far it got, and its scores on the images.</summary>
public sealed class QualityBenchmarkRun
{
    internal QualityBenchmarkRun(int seed, int iterations, int plannedIterations, double trainingMinutes, SegmentationMetrics metrics,
        IReadOnlyList<QualityBenchmarkStudentRow>? students = null, double? studentMinutes = null, QualityBenchmarkSpeed? speed = null)
    {
        Students = students ?? Array.Empty<QualityBenchmarkStudentRow>();
        StudentMinutes = studentMinutes;
        Speed = speed;
        Seed = seed;
        Iterations = iterations;
        PlannedIterations = plannedIterations;
        TrainingMinutes = trainingMinutes;
        Metrics = metrics;
    }

    /// <summary>The training seed.</summary>
    public int Seed { get; }

    /// <summary>Iterations completed (fewer than planned when the minutes ran out).</summary>
    public int Iterations { get; }

    /// <summary>Iterations of the schedule (constant plus decay).</summary>
    public int PlannedIterations { get; }

    /// <summary>Wall-clock minutes of training (depends on the machine's load).</summary>
    public double TrainingMinutes { get; }

    /// <summary>AD-GAN's scores against the truth (means over images).</summary>
    public SegmentationMetrics Metrics { get; }

    /// <summary>Recall of the dim nuclei of a simulated dim-beside-bright selection (pooled over images); null otherwise.</summary>
    public DimNucleusScores? DimNuclei { get; init; }

    /// <summary>The student's scores, one row per decoding scored (empty when the model has no student).</summary>
    public IReadOnlyList<QualityBenchmarkStudentRow> Students { get; }

    /// <summary>Wall-clock minutes of the student's training when the benchmark trained it on a reused model; null otherwise (then it is part of <see cref="TrainingMinutes"/>).</summary>
    public double? StudentMinutes { get; }

    /// <summary>How fast the generator and the student segmented the images (null without a student).</summary>
    public QualityBenchmarkSpeed? Speed { get; }
}
