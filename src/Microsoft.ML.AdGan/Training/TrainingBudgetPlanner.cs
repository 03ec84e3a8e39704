namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Sizes the learning-rate schedule to a time budget from measured speed (no clock of its own: the caller passes the times).
/// The first iterations are a warm-up whose time is not measured (they allocate and compile); the next ones measure seconds
/// per iteration, and <see cref="Plan"/> sets the total so that the constant and decaying phases end before the budget less
/// its margin and reserve, the decay keeping its share of the total. <see cref="Replan"/> corrects the plan once, in the
/// constant phase, when the speed since the first plan drifted.
/// </summary>
internal sealed class TrainingBudgetPlanner
{
    /// <summary>Creates a planner; <paramref name="decayShare"/> is the decaying phase's share of the schedule, in [0, 1).</summary>
    public TrainingBudgetPlanner(TimeSpan budget, double decayShare, double marginShare = 0.05, double reserveShare = 0,
        int warmupIterations = 5, int measuredIterations = 20, double driftTolerance = 0.1)
    {
        if (budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The time budget must be positive.");
        if (!(decayShare >= 0 && decayShare < 1))
            throw new ArgumentOutOfRangeException(nameof(decayShare), decayShare, "The decay's share must lie in [0, 1): the warm-up runs at the constant learning rate.");
        if (!(marginShare >= 0 && reserveShare >= 0 && marginShare + reserveShare < 1))
            throw new ArgumentOutOfRangeException(nameof(marginShare), marginShare, $"Margin ({marginShare}) and reserve ({reserveShare}) must be shares >= 0 of the budget that leave some of it.");
        if (warmupIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupIterations), warmupIterations, "Warm-up iterations must be >= 0.");
        if (measuredIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(measuredIterations), measuredIterations, "At least one iteration must be measured.");
        if (!(driftTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(driftTolerance), driftTolerance, "The drift tolerance must be >= 0.");
        Budget = budget;
        DecayShare = decayShare;
        Margin = budget * marginShare;
        Reserved = budget * reserveShare;
        WarmupIterations = warmupIterations;
        MeasuredIterations = measuredIterations;
        DriftTolerance = driftTolerance;
    }

    /// <summary>The whole time budget.</summary>
    public TimeSpan Budget { get; }

    /// <summary>The decaying phase's share of the schedule's iterations.</summary>
    public double DecayShare { get; }

    /// <summary>Time left unused at the end of AD-GAN's schedule against slow-downs.</summary>
    public TimeSpan Margin { get; }

    /// <summary>Time kept for work after AD-GAN's schedule.</summary>
    public TimeSpan Reserved { get; }

    /// <summary>Iterations run before the speed is measured.</summary>
    public int WarmupIterations { get; }

    /// <summary>Iterations over which the speed is measured.</summary>
    public int MeasuredIterations { get; }

    /// <summary>Relative change of speed that makes <see cref="Replan"/> correct the plan.</summary>
    public double DriftTolerance { get; }

    /// <summary>
    /// True when the speed is measured well enough to plan: all measured iterations are done, or at least one is and a tenth
    /// of the budget is already spent (a slow machine on a short budget plans early rather than overrun).
    /// </summary>
    public bool IsReady(int measuredDone, TimeSpan elapsed) =>
        measuredDone >= MeasuredIterations || (measuredDone >= 1 && elapsed >= Budget * 0.1);

    /// <summary>The schedule that ends AD-GAN's training in the time left at <paramref name="secondsPerIteration"/>, after <paramref name="iterationsDone"/> iterations in <paramref name="elapsed"/>.</summary>
    public TrainingPlan Plan(int iterationsDone, TimeSpan elapsed, double secondsPerIteration) =>
        Schedule(iterationsDone, elapsed, secondsPerIteration, isReplan: false);

    /// <summary>
    /// The iteration at which to check the speed again: a quarter of the way from the first plan to the end of its constant
    /// phase (at least <see cref="MeasuredIterations"/> later); null when that is not inside the constant phase.
    /// </summary>
    public int? ReplanAt(TrainingPlan first)
    {
        ArgumentNullException.ThrowIfNull(first);
        int at = first.IterationsDone + Math.Max(MeasuredIterations, (first.ConstantIterations - first.IterationsDone) / 4);
        return at < first.ConstantIterations ? at : null;
    }

    /// <summary>
    /// A corrected plan when the speed since <paramref name="first"/> (iterations and time from its point to
    /// <paramref name="iterationsDone"/> and <paramref name="elapsed"/>) differs from the one it assumed by more than
    /// <see cref="DriftTolerance"/>; null when the first plan stands. The constant phase never ends before
    /// <paramref name="iterationsDone"/> and the decay keeps its share.
    /// </summary>
    public TrainingPlan? Replan(TrainingPlan first, int iterationsDone, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(first);
        int iterations = iterationsDone - first.IterationsDone;
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(iterationsDone), iterationsDone, $"Re-planning needs iterations after the first plan's {first.IterationsDone}.");
        double speed = (elapsed - first.Elapsed).TotalSeconds / iterations;
        if (Math.Abs(speed - first.SecondsPerIteration) <= DriftTolerance * first.SecondsPerIteration)
            return null;
        return Schedule(iterationsDone, elapsed, speed, isReplan: true);
    }

    private TrainingPlan Schedule(int done, TimeSpan elapsed, double secondsPerIteration, bool isReplan)
    {
        if (done < 0)
            throw new ArgumentOutOfRangeException(nameof(done), done, "Iterations done must be >= 0.");
        if (!(secondsPerIteration > 0 && double.IsFinite(secondsPerIteration)))
            throw new ArgumentOutOfRangeException(nameof(secondsPerIteration), secondsPerIteration, "The measured speed must be a positive number of seconds per iteration.");
        double left = (Budget - Reserved - Margin - elapsed).TotalSeconds;
        long more = left > 0 ? (long)Math.Floor(left / secondsPerIteration) : 0;
        int total = (int)Math.Min(int.MaxValue / 2, Math.Max(1, done + more));
        int decay = (int)Math.Ceiling(DecayShare * total);
        int constant = total - decay;
        if (constant < done)
        {
            // Too little time for the decay's share after what is done: the constant phase ends now and the decay keeps its share.
            constant = done;
            decay = (int)Math.Ceiling(DecayShare / (1 - DecayShare) * done);
        }
        return new TrainingPlan(constant, decay, secondsPerIteration, done, elapsed, Budget, Margin, Reserved, isReplan);
    }
}
