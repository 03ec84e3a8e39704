using System.CommandLine;
using System.Globalization;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Tools.Demo;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench volumes`: 3D quality benchmark. Simulates confocal-like volumes, trains AD-GAN on them without labels
/// for a time budget, and prints Dice, AJI and F1@0.5 against the truth for AD-GAN and the 3D classical baseline side by
/// side, with seconds per iteration and per volume. The volumes, model and an HTML report are written to --out.
/// </summary>
internal static class BenchVolumesCommand
{
    public static Command Create()
    {
        var d = DemoSettings.Volumes();
        var minutes = new Option<double?>("--minutes") { Description = $"Training time budget in minutes: the iterations are planned from the speed measured in the first ones so that the schedule ends within it; default {d.Training.TimeBudget?.TotalMinutes}." };
        var output = new Option<string>("--out") { Description = "Folder for the volumes, model.zip and report.html.", DefaultValueFactory = _ => "adgan-bench-volumes" };
        var iterations = new Option<int?>("--iterations") { Description = "Fixed total iterations, half constant and half linearly decaying learning rate, instead of the planned budget." };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation and of training.", DefaultValueFactory = _ => d.Seed };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: the process setting)." };
        var train = new Option<int>("--train") { Description = "Training volumes.", DefaultValueFactory = _ => d.TrainImages };
        var test = new Option<int>("--test") { Description = "Held-back volumes scored against the truth.", DefaultValueFactory = _ => d.TestImages };
        var size = new Option<int>("--size") { Description = "Height and width of the volumes in voxels.", DefaultValueFactory = _ => d.ImageSize };
        var depth = new Option<int>("--depth") { Description = "Slices per volume as stored.", DefaultValueFactory = _ => d.Depth };
        var zStep = new Option<int>("--z-step") { Description = "Z voxel size over in-plane voxel size (the simulation keeps every N-th slice).", DefaultValueFactory = _ => d.ZStep };
        var crop = new Option<int>("--crop") { Description = "Crop height and width (multiple of 4, >= 24).", DefaultValueFactory = _ => d.Training.CropSize };
        var cropDepth = new Option<int>("--crop-depth") { Description = "Crop depth on the cubic grid (multiple of 4, >= 24).", DefaultValueFactory = _ => d.Training.CropDepth };
        var ngf = new Option<int>("--ngf") { Description = "Base channel count.", DefaultValueFactory = _ => d.Training.BaseChannels };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => d.Training.BatchSize };
        var command = new Command("volumes", "3D quality: AD-GAN trained for --minutes on simulated confocal-like volumes vs the 3D classical baseline (Dice, AJI, F1@0.5, s/iteration, s/volume).")
        {
            minutes, output, iterations, seed, threads, train, test, size, depth, zStep, crop, cropDepth, ngf, batch,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var settings = DemoSettings.Volumes();
                settings.OutputDirectory = parseResult.GetValue(output)!;
                if (parseResult.GetValue(iterations) is int n)
                {
                    if (parseResult.GetValue(minutes) is not null)
                        throw new ArgumentException("--minutes plans the iterations and --iterations fixes them: give one, not both.");
                    settings.UseIterations(n);
                }
                else if (parseResult.GetValue(minutes) is double m)
                {
                    settings.Training.TimeBudget = TimeSpan.FromMinutes(m);
                }
                settings.Seed = parseResult.GetValue(seed);
                settings.Training.Threads = parseResult.GetValue(threads);
                settings.TrainImages = parseResult.GetValue(train);
                settings.TestImages = parseResult.GetValue(test);
                settings.ImageSize = parseResult.GetValue(size);
                settings.Depth = parseResult.GetValue(depth);
                settings.ZStep = parseResult.GetValue(zStep);
                settings.Training.CropSize = parseResult.GetValue(crop);
                settings.Training.CropDepth = parseResult.GetValue(cropDepth);
                settings.Training.BaseChannels = parseResult.GetValue(ngf);
                settings.Training.BatchSize = parseResult.GetValue(batch);
                if (settings.Training.TimeBudget is null)
                    settings.Training.SnapshotEvery = Math.Max(settings.Training.SnapshotEvery, settings.Training.TotalIterations / 4);
                if (!settings.Is3D)
                    throw new ArgumentException("--depth must be at least 1 for the volume benchmark.", "--depth");
                return Run(settings, Console.Out);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int Run(DemoSettings settings, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var o = settings.TrainerOptions();
        output.WriteLine($"bench volumes: {settings.TrainImages} training + {settings.TestImages} held-back volumes of {settings.Depth}x{settings.ImageSize}x{settings.ImageSize} (Z step {settings.ZStep}; {settings.SimulatedDepth}x{settings.ImageSize}x{settings.ImageSize} cubic), "
            + $"crop {o.CropDepth}x{o.CropSize}x{o.CropSize}, ngf {o.BaseChannels}, batch {o.BatchSize}, {(o.TimeBudget is TimeSpan budget ? $"iterations planned for {budget.TotalMinutes.ToString("0.##", c)} min" : $"{o.TotalIterations} iterations")}, torch threads {o.Threads?.ToString(c) ?? TorchSharp.torch.get_num_threads().ToString(c)}");
        var progress = new ConsoleProgress();
        settings.Training.MetricsCallback ??= progress.Report;
        var result = DemoRunner.Run(settings, message => progress.Log(message));
        progress.Done();
        output.WriteLine();
        output.WriteLine($"{"method",-10} {"Dice",6} {"AJI",6} {"F1@.5",6} {"PQ",6} {"s/volume",9}");
        output.WriteLine(Row("AD-GAN", result.AdGan, result.AdGanSecondsPerImage));
        output.WriteLine(Row("baseline", result.Baseline, result.BaselineSecondsPerImage));
        output.WriteLine($"training: {result.IterationsDone} iterations, {result.SecondsPerIteration.ToString("F2", c)} s/iteration; report {result.ReportPath}");
        return 0;

        string Row(string name, SegmentationMetrics m, double seconds) =>
            $"{name,-10} {m.Dice.ToString("F3", c),6} {m.AggregatedJaccardIndex.ToString("F3", c),6} {m.F1At50.ToString("F3", c),6} {m.PanopticQuality.ToString("F3", c),6} {seconds.ToString("F2", c),9}";
    }
}
