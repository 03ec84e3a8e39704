using System.CommandLine;
using System.Globalization;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>The --minutes flag: a time budget the training schedule is planned to fit, or (with --iterations) none.</summary>
internal sealed class TimeBudgetArguments
{
    /// <summary>The budget `adgan train` plans for on a CPU when neither --minutes nor --iterations is given.</summary>
    public const double DefaultCpuMinutes = 30;

    private readonly double? _defaultMinutes;

    /// <summary>The flag, with <paramref name="defaultMinutes"/> used when neither it nor --iterations is given (null: fixed iterations then).</summary>
    public TimeBudgetArguments(double? defaultMinutes, string what)
    {
        _defaultMinutes = defaultMinutes;
        string fallback = defaultMinutes is double d
            ? string.Create(CultureInfo.InvariantCulture, $" Default: {d:0.##} minutes unless --iterations is given (a fixed schedule, for reproducible runs).")
            : " Default: none, the preset's or --iterations' fixed schedule.";
        Minutes = new Option<double?>("--minutes")
        {
            Description = $"Time budget in minutes{what}: the speed is measured over the first iterations and the number of iterations (half at the constant learning rate, half decaying) is planned so that the whole schedule ends within it, with a 5% margin.{fallback}",
        };
    }

    /// <summary>The --minutes option, to add to a command.</summary>
    public Option<double?> Minutes { get; }

    /// <summary>The budget to plan for, or null for the fixed iterations; throws <see cref="ArgumentException"/> when both --minutes and --iterations are given.</summary>
    public TimeSpan? Resolve(ParseResult parseResult, bool iterationsGiven)
    {
        var minutes = parseResult.GetValue(Minutes);
        if (minutes is not null && iterationsGiven)
            throw new ArgumentException("--minutes plans the iterations and --iterations fixes them: give one, not both.");
        if (minutes is <= 0 || minutes is double m && !double.IsFinite(m))
            throw new ArgumentException($"--minutes must be a positive number of minutes, not {minutes}.");
        minutes ??= iterationsGiven ? null : _defaultMinutes;
        return minutes is double budget ? TimeSpan.FromMinutes(budget) : null;
    }

    /// <summary>Shortens the budget by the time spent before training (reading images, estimating priors) and logs what is left to plan for.</summary>
    public static AdGanTrainerOptions StartBudget(AdGanTrainerOptions options, TimeSpan spent, Action<string> log)
    {
        var started = options.WithBudgetSpent(spent);
        if (started.TimeBudget is TimeSpan left)
            log(string.Create(CultureInfo.InvariantCulture, $"Time budget: {options.TimeBudget!.Value.TotalMinutes:0.##} min, {spent.TotalMinutes:0.##} of them spent before training; the schedule is planned for the {left.TotalMinutes:0.##} min left."));
        return started;
    }
}
