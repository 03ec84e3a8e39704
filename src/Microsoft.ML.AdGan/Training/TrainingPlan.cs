using System.Globalization;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// A learning-rate schedule sized to a time budget by <see cref="TrainingBudgetPlanner"/>: how many iterations run at the
/// constant rate and how many decay, from the speed measured so far, with the budget's margin and reserve left over.
/// </summary>
/// <param name="ConstantIterations">Iterations at the constant learning rate (including those already done).</param>
/// <param name="DecayIterations">Iterations over which the learning rate then decays linearly to zero.</param>
/// <param name="SecondsPerIteration">The measured speed the plan assumes for the iterations left.</param>
/// <param name="IterationsDone">Iterations done when the plan was made.</param>
/// <param name="Elapsed">Training time spent when the plan was made.</param>
/// <param name="Budget">The whole time budget.</param>
/// <param name="Margin">Time the plan leaves unused at the end of AD-GAN's schedule against slow-downs.</param>
/// <param name="Reserved">Time kept for work after AD-GAN's schedule (a student's training, say).</param>
/// <param name="IsReplan">True when this plan corrects an earlier one after the speed drifted.</param>
internal sealed record TrainingPlan(int ConstantIterations, int DecayIterations, double SecondsPerIteration, int IterationsDone, TimeSpan Elapsed,
    TimeSpan Budget, TimeSpan Margin, TimeSpan Reserved, bool IsReplan)
{
    /// <summary>All iterations of the schedule.</summary>
    public int TotalIterations => ConstantIterations + DecayIterations;

    /// <summary>When AD-GAN's schedule is expected to end, counted from the start of training.</summary>
    public TimeSpan ExpectedEnd => Elapsed + TimeSpan.FromSeconds((TotalIterations - IterationsDone) * SecondsPerIteration);

    /// <summary>True when even the shortest schedule that keeps the decay's share runs past the budget's deadline for AD-GAN.</summary>
    public bool Overruns => ExpectedEnd > Budget - Reserved;

    /// <inheritdoc/>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        string what = IsReplan ? "Re-planned" : "Planned";
        string reserved = Reserved > TimeSpan.Zero ? string.Create(ci, $", {Reserved.TotalMinutes:0.##} min reserved for later work") : "";
        string overrun = Overruns ? ", past the budget because the decay keeps its share of the iterations already done" : "";
        return string.Create(ci,
            $"{what} {ConstantIterations} constant + {DecayIterations} decaying iterations ({TotalIterations} in all) at {SecondsPerIteration:0.###} s/iteration measured: "
            + $"AD-GAN ends at about {ExpectedEnd.TotalMinutes:0.##} of {Budget.TotalMinutes:0.##} min{overrun} (margin {Margin.TotalMinutes:0.##} min{reserved}).");
    }
}
