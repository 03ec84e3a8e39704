using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Cli.Commands;

/// <summary>`adgan train`: unsupervised AD-GAN training on a folder of images; writes a deployable model.zip.</summary>
internal static class TrainCommand
{
    /// <summary>What the help says about stopping a run and the grace period a container or scheduler must give it.</summary>
    internal const string StopHelp =
        "Ctrl+C, SIGTERM and SIGHUP stop training after the iteration under way and write a checkpoint of the last completed one "
        + "(resume with --resume); checkpoints are also written every 500 iterations and every --checkpoint-minutes. Give a container "
        + "or scheduler a grace period of at least one iteration plus the checkpoint write before it kills the process: seconds with "
        + "the cpu preset, minutes per iteration with the paper presets on a CPU (e.g. docker stop -t 600, Kubernetes "
        + "terminationGracePeriodSeconds: 600). A second signal ends the process at once, without a checkpoint.";

    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of unlabeled images (PNG, TIFF, JPEG, BMP).", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (ML.NET zip); its folder is checked for writing and free space before training.", Required = true };
        var training = new TrainingArguments();
        var budget = new TimeBudgetArguments(TimeBudgetArguments.DefaultCpuMinutes, ", counted from the start of the command");
        var minutes = budget.Minutes;
        var checkpointMinutes = NumberArgument.Double("--checkpoint-minutes", "Also write a checkpoint after this many minutes since the last one (default 10).");
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to resume from (the options that shape its tensors, --crop, --ngf, --depth and the preset's, must match)." };
        var depth = NumberArgument.Int("--depth", "Train on volumes (multi-page TIFF) with sub-volumes of this depth (3D); volumes with a recorded anisotropic voxel size are resampled to cubic voxels first.");
        var command = new Command("train", "Train AD-GAN on unlabeled images (no annotation needed). " + StopHelp)
        {
            images, output, minutes, checkpointMinutes, resume, depth,
        };
        foreach (var option in training.All)
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                var options = training.Build(parseResult, parseResult.GetValue(depth));
                options.TimeBudget = budget.Resolve(parseResult, training.IterationsGiven(parseResult));
                if (parseResult.GetValue(checkpointMinutes) is double every)
                    options.CheckpointMinutes = every;
                options.ResumeFrom = parseResult.GetValue(resume);
                using var stop = new TrainingStop();
                return Run(parseResult.GetValue(images)!, parseResult.GetValue(output)!, options, stop);
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                Console.Error.WriteLine($"error: libtorch failed (often: out of memory; lower --batch, --crop or --ngf): {FirstLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Trains on the images of <paramref name="imagesDir"/> and writes the model to <paramref name="output"/>. Before reading any image,
    /// refuses (with <see cref="ArgumentException"/> or <see cref="IOException"/> naming the flag) bad options, settings whose estimated
    /// memory exceeds what the machine has available, an output that cannot be written or lacks room, and a checkpoint that these
    /// options cannot resume. <paramref name="stop"/> (signals) ends training with a checkpoint.
    /// </summary>
    internal static int Run(string imagesDir, string output, AdGanTrainerOptions options, TrainingStop? stop = null)
    {
        var started = Stopwatch.StartNew();
        TrainingArguments.Validate(options);
        var footprint = AdGanTrainingFootprint.Estimate(options);
        TrainingChecks.Memory(options, footprint, TrainingChecks.AvailableMemoryBytes());
        string checkpoints = options.CheckpointDirectory ??= Path.ChangeExtension(Path.GetFullPath(output), ".checkpoints");
        string checkpoint = Path.Combine(checkpoints, "checkpoint.adgan");
        TrainingChecks.Output(output, checkpoints, footprint);
        if (options.ResumeFrom is { } resume)
            TrainingChecks.Resume(resume, options);

        var files = MicroscopyImageReader.ListFiles(imagesDir);
        if (files.Count == 0)
            throw new FileNotFoundException($"No supported image in '{imagesDir}'.");
        var read = ImageReadArguments.Create(firstPageOnly: options.Dimensions == 2);
        if (options.PriorEstimation is null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Priors given: working scale {options.ImageScale:G4}, SemiAxis [{options.Masks.SemiAxis.Min}, {options.Masks.SemiAxis.Max}), {options.Masks.CountPerPatch.Min}-{options.Masks.CountPerPatch.Max} nuclei per {options.CropSize}-pixel crop."));
        options = TrainingPriors.Resolve(options, files.Select(f => (f, ImageReadArguments.Read(f, read))), Console.WriteLine);
        options = TimeBudgetArguments.StartBudget(options, started.Elapsed, Console.WriteLine);
        var progress = new ConsoleProgress();
        options.MetricsCallback = progress.Report;
        options.MetricsEvery = Math.Min(options.MetricsEvery, 10);
        var source = new FolderImageSource(files, options.Normalization, options.Scaling(), options.ImageCacheBytes, read);
        var token = stop?.Token ?? CancellationToken.None;
        try
        {
            token.ThrowIfCancellationRequested();
            Console.WriteLine($"Training on {files.Count} images from '{imagesDir}' (Ctrl+C, SIGTERM or SIGHUP writes a checkpoint to {checkpoints} and stops).");
            using var trainer = new AdGanTrainer(options, source, log: message => progress.Log(message));
            using var model = trainer.Train(token);
            try
            {
                AdGanModelFile.Save(new MLContext(options.Seed), model, output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                trainer.SaveCheckpoint(checkpoint);
                throw new IOException($"Could not write the model to '{output}' ({e.Message}); the trained state is kept in {checkpoint}: "
                    + $"write the model with --resume {checkpoint} and another --out.", e);
            }
            progress.Done();
            Console.WriteLine($"Model written to {output} after {trainer.CompletedIterations} iterations.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            progress.Done();
            string by = stop?.Signal is { } signal ? $" by {signal}" : string.Empty;
            Console.Error.WriteLine(File.Exists(checkpoint) ? $"Stopped{by}. Resume with --resume {checkpoint}" : $"Stopped{by} before the first iteration.");
            return stop?.ExitCode ?? 130;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
