using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tools.Demo;

/// <summary>What <see cref="DemoRunner.Run"/> produced: file locations, scores and timings.</summary>
public sealed class DemoResult
{
    /// <summary>Full path of report.html.</summary>
    public required string ReportPath { get; init; }

    /// <summary>Full path of the trained model (model.zip).</summary>
    public required string ModelPath { get; init; }

    /// <summary>AD-GAN scores on the held-back images against the simulation's truth.</summary>
    public required SegmentationMetrics AdGan { get; init; }

    /// <summary>Classical baseline (Otsu + distance watershed) scores on the same images.</summary>
    public required SegmentationMetrics Baseline { get; init; }

    /// <summary>Training iterations done.</summary>
    public required int IterationsDone { get; init; }

    /// <summary>Training iterations of the schedule: the settings' fixed count, or the count planned for the time budget.</summary>
    public required int IterationsPlanned { get; init; }

    /// <summary>The schedule planned for the time budget; null for a fixed number of iterations.</summary>
    internal TrainingPlan? Plan { get; init; }

    /// <summary>Minimum nucleus diameter given to the baseline, derived from the priors.</summary>
    public required double BaselineMinDiameter { get; init; }

    /// <summary>Time of each stage (simulate, train, segment, evaluate, pictures) in order.</summary>
    public required IReadOnlyList<(string Stage, TimeSpan Time)> Timings { get; init; }

    /// <summary>Seconds per training iteration (training time over iterations done; contended machines give upper bounds).</summary>
    public double SecondsPerIteration { get; init; }

    /// <summary>Seconds per held-back image or volume of AD-GAN inference (resampling, tiled decoding and instance labelling).</summary>
    public double AdGanSecondsPerImage { get; init; }

    /// <summary>Seconds per held-back image or volume of the classical baseline.</summary>
    public double BaselineSecondsPerImage { get; init; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan Total => Timings.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Time);

    /// <summary>Every picture written (relative to the output folder).</summary>
    public required IReadOnlyList<string> Pictures { get; init; }
}
