namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// When training writes its periodic checkpoint: every <see cref="AdGanTrainerOptions.CheckpointEvery"/> iterations, and also when
/// <see cref="AdGanTrainerOptions.CheckpointMinutes"/> have passed since the last one (or since training started).
/// Times are read from the caller's clock, so the rule can be checked without waiting.
/// </summary>
internal sealed class CheckpointSchedule
{
    private readonly int _everyIterations;
    private readonly TimeSpan? _everyTime;
    private TimeSpan _last;

    /// <summary>A schedule starting at <paramref name="start"/> on the caller's clock.</summary>
    public CheckpointSchedule(int everyIterations, double? everyMinutes, TimeSpan start)
    {
        _everyIterations = everyIterations;
        _everyTime = everyMinutes is double minutes ? TimeSpan.FromMinutes(minutes) : null;
        _last = start;
    }

    /// <summary>Whether a checkpoint is due after <paramref name="completedIterations"/> at time <paramref name="now"/>.</summary>
    public bool IsDue(int completedIterations, TimeSpan now)
        => completedIterations % _everyIterations == 0 || (_everyTime is { } every && now - _last >= every);

    /// <summary>Records that a checkpoint was written at <paramref name="now"/>.</summary>
    public void Written(TimeSpan now) => _last = now;
}
