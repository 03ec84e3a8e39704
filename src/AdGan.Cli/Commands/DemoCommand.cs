using System.CommandLine;
using System.Globalization;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tools.Demo;

namespace AdGan.Cli.Commands;

/// <summary>`adgan demo`: simulate, train, segment, evaluate against the truth and the baseline, and write an HTML report.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new DemoSettings();
        var output = new Option<string>("--out") { Description = "Folder for report.html, model.zip and pictures.", DefaultValueFactory = _ => "./adgan-demo" };
        var minutes = new Option<double?>("--minutes") { Description = $"Training time budget in minutes: the iterations are planned from the speed measured in the first ones so that the schedule ends within it (the whole demo takes about a minute more); default {defaults.Training.TimeBudget?.TotalMinutes}, {DemoSettings.Volumes().Training.TimeBudget?.TotalMinutes} with --3d." };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation and of training.", DefaultValueFactory = _ => defaults.Seed };
        var iterations = new Option<int?>("--iterations") { Description = "Fixed training iterations (half constant, half decaying learning rate) instead of the planned budget, for reproducible runs." };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: the process setting)." };
        var volumes = new Option<bool>("--3d") { Description = "Run on simulated confocal-like volumes (24x96x96, Z step 2) instead of images; report with slices and max projections." };
        var command = new Command("demo", "Run AD-GAN end to end on simulated images and write an HTML report (no data needed).")
        {
            output, minutes, seed, iterations, threads, volumes,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                bool is3D = parseResult.GetValue(volumes);
                var settings = is3D ? DemoSettings.Volumes() : new DemoSettings();
                settings.OutputDirectory = parseResult.GetValue(output)!;
                if (parseResult.GetValue(minutes) is double m)
                    settings.Training.TimeBudget = TimeSpan.FromMinutes(m);
                settings.Seed = parseResult.GetValue(seed);
                settings.Training.Threads = parseResult.GetValue(threads);
                if (parseResult.GetValue(iterations) is int n)
                {
                    if (parseResult.GetValue(minutes) is not null)
                        throw new ArgumentException("--minutes plans the iterations and --iterations fixes them: give one, not both.");
                    settings.UseIterations(n);
                }
                return Run(settings, Console.Out);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or AdGanModelFormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int Run(DemoSettings settings, TextWriter output)
    {
        var progress = new ConsoleProgress();
        settings.Training.MetricsCallback ??= progress.Report;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"AD-GAN demo into {Path.GetFullPath(settings.OutputDirectory)} ({(settings.Training.TimeBudget is TimeSpan budget ? $"training planned for {budget.TotalMinutes.ToString("0.##", c)} min" : $"{settings.Training.TotalIterations} training iterations")}; Ctrl+C aborts).");
            var result = DemoRunner.Run(settings, message => progress.Log(message), cancel.Token);
            progress.Done();
            output.WriteLine();
            output.WriteLine($"Report: {result.ReportPath}");
            output.WriteLine($"Model:  {result.ModelPath}");
            output.WriteLine($"{result.IterationsDone} iterations, {result.Total.TotalMinutes.ToString("F1", c)} minutes in all.");
            output.WriteLine("                  Dice    AJI   F1@0.5   PQ");
            output.WriteLine($"AD-GAN          {result.AdGan.Dice.ToString("F3", c)}  {result.AdGan.AggregatedJaccardIndex.ToString("F3", c)}  {result.AdGan.F1At50.ToString("F3", c)}  {result.AdGan.PanopticQuality.ToString("F3", c)}");
            output.WriteLine($"baseline        {result.Baseline.Dice.ToString("F3", c)}  {result.Baseline.AggregatedJaccardIndex.ToString("F3", c)}  {result.Baseline.F1At50.ToString("F3", c)}  {result.Baseline.PanopticQuality.ToString("F3", c)}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            progress.Done();
            Console.Error.WriteLine("Demo cancelled.");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
