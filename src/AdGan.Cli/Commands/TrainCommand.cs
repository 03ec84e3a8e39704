using System.CommandLine;
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
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of unlabeled images (PNG, TIFF, JPEG, BMP).", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (ML.NET zip).", Required = true };
        var training = new TrainingArguments();
        var minutes = new Option<double?>("--minutes") { Description = "Stop training after this many minutes." };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to resume from." };
        var depth = new Option<int?>("--depth") { Description = "Train on volumes (multi-page TIFF) with sub-volumes of this depth (3D); volumes with a recorded anisotropic voxel size are resampled to cubic voxels first." };
        var command = new Command("train", "Train AD-GAN on unlabeled images (no annotation needed).")
        {
            images, output, minutes, resume, depth,
        };
        foreach (var option in training.All)
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                var options = training.Build(parseResult, parseResult.GetValue(depth));
                options.MaxMinutes = parseResult.GetValue(minutes);
                options.ResumeFrom = parseResult.GetValue(resume);
                return Run(parseResult.GetValue(images)!, parseResult.GetValue(output)!, options);
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int Run(string imagesDir, string output, AdGanTrainerOptions options)
    {
        var files = MicroscopyImageReader.ListFiles(imagesDir);
        if (files.Count == 0)
            throw new FileNotFoundException($"No supported image in '{imagesDir}'.");
        var read = ImageReadArguments.Create(firstPageOnly: options.Dimensions == 2);
        if (options.PriorEstimation is null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Priors given: working scale {options.ImageScale:G4}, SemiAxis [{options.Masks.SemiAxis.Min}, {options.Masks.SemiAxis.Max}), {options.Masks.CountPerPatch.Min}-{options.Masks.CountPerPatch.Max} nuclei per {options.CropSize}-pixel crop."));
        options = TrainingPriors.Resolve(options, files.Select(f => (f, ImageReadArguments.Read(f, read))), Console.WriteLine);
        options.CheckpointDirectory ??= Path.ChangeExtension(Path.GetFullPath(output), ".checkpoints");
        var progress = new ConsoleProgress();
        options.MetricsCallback = progress.Report;
        options.MetricsEvery = Math.Min(options.MetricsEvery, 10);
        var source = new FolderImageSource(files, options.Normalization, options.ImageScale, options.ImageCacheBytes, read);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Console.WriteLine($"Training on {files.Count} images from '{imagesDir}' (Ctrl+C writes a checkpoint to {options.CheckpointDirectory} and stops).");
            using var trainer = new AdGanTrainer(options, source, log: message => progress.Log(message));
            using var model = trainer.Train(cancel.Token);
            AdGanModelFile.Save(new MLContext(options.Seed), model, output);
            progress.Done();
            Console.WriteLine($"Model written to {output} after {trainer.CompletedIterations} iterations.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            progress.Done();
            Console.Error.WriteLine($"Stopped. Resume with --resume {Path.Combine(options.CheckpointDirectory, "checkpoint.adgan")}");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
