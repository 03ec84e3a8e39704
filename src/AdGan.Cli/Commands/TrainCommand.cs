using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>`adgan train`: unsupervised AD-GAN training on a folder of images; writes a deployable model.zip.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of unlabeled images (PNG, TIFF, JPEG, BMP).", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (ML.NET zip).", Required = true };
        var instance = new Option<bool>("--instance") { Description = "Learn 3-level instance masks (background, ring, core); the default." };
        var semantic = new Option<bool>("--semantic") { Description = "Learn semantic masks (background, nucleus) instead." };
        var radius = new Option<string>("--radius") { Description = "Semi-axis range of synthetic nuclei in pixels at the working scale, 'min,max' (max exclusive). Default 10,15." };
        var number = new Option<string>("--number") { Description = "Nuclei per crop, 'min,max' (inclusive). Default 3,8." };
        var preset = new Option<string>("--preset") { Description = "cpu (crop 96, ngf 16, batch 4), paper (crop 256, ngf 64, batch 8), cpu3d (volumes: 24x32x32, ngf 8, batch 2) or paper3d (64x128x128, ngf 64, batch 2).", DefaultValueFactory = _ => "cpu" };
        var iterations = new Option<int?>("--iterations") { Description = "Total iterations (half constant, half linear decay)." };
        var crop = new Option<int?>("--crop") { Description = "Crop size (multiple of 4)." };
        var ngf = new Option<int?>("--ngf") { Description = "Base channel count." };
        var batch = new Option<int?>("--batch") { Description = "Batch size." };
        var scale = new Option<double?>("--scale") { Description = "Working scale: images are resized by this factor (results come back at full size)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed." };
        var minutes = new Option<double?>("--minutes") { Description = "Stop training after this many minutes." };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to resume from." };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (fix for reproducible runs)." };
        var depth = new Option<int?>("--depth") { Description = "Train on volumes (multi-page TIFF) with sub-volumes of this depth (3D); volumes with a recorded anisotropic voxel size are resampled to cubic voxels first." };
        var precision = new Option<string?>("--precision") { Description = "float32 (faithful, default) or bf16 (bfloat16 convolutions, float32 weights and losses; about 2x faster on AVX-512-BF16 CPUs)." };
        var command = new Command("train", "Train AD-GAN on unlabeled images (no annotation needed).")
        {
            images, output, instance, semantic, radius, number, preset, iterations, crop, ngf, batch, scale, seed, minutes, resume, threads, depth, precision,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var options = parseResult.GetValue(preset)?.ToLowerInvariant() switch
                {
                    "cpu" => AdGanPresets.Cpu(),
                    "paper" => AdGanPresets.Paper(),
                    "cpu3d" => AdGanPresets.Cpu3D(),
                    "paper3d" => AdGanPresets.Paper3D(),
                    var other => throw new ArgumentException($"--preset must be cpu, paper, cpu3d or paper3d, not '{other}'."),
                };
                if (parseResult.GetValue(semantic) && parseResult.GetValue(instance))
                    throw new ArgumentException("--instance and --semantic exclude each other.");
                options.Masks.Coding = parseResult.GetValue(semantic) ? SyntheticMaskCoding.Semantic : SyntheticMaskCoding.Instance;
                if (parseResult.GetValue(radius) is { } r)
                    options.Masks.SemiAxis = RangeArgument.Parse(r, "--radius");
                if (parseResult.GetValue(number) is { } n)
                    options.Masks.CountPerPatch = RangeArgument.Parse(n, "--number");
                if (parseResult.GetValue(iterations) is int total)
                {
                    options.Iterations = (total + 1) / 2;
                    options.DecayIterations = total / 2;
                }
                if (parseResult.GetValue(crop) is int c) options.CropSize = c;
                if (parseResult.GetValue(ngf) is int g) options.BaseChannels = g;
                if (parseResult.GetValue(batch) is int b) options.BatchSize = b;
                if (parseResult.GetValue(scale) is double s) options.ImageScale = s;
                if (parseResult.GetValue(seed) is int sd) options.Seed = sd;
                if (parseResult.GetValue(threads) is int t) options.Threads = t;
                if (parseResult.GetValue(precision) is { } p) options.Precision = BenchCommand.ParsePrecision(p);
                if (parseResult.GetValue(depth) is int d)
                {
                    options.Dimensions = 3;
                    options.CropDepth = d;
                }
                options.MaxMinutes = parseResult.GetValue(minutes);
                options.ResumeFrom = parseResult.GetValue(resume);
                return Run(parseResult.GetValue(images)!, parseResult.GetValue(output)!, options);
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or UnauthorizedAccessException)
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
        options.CheckpointDirectory ??= Path.ChangeExtension(Path.GetFullPath(output), ".checkpoints");
        var progress = new ConsoleProgress();
        options.MetricsCallback = progress.Report;
        options.MetricsEvery = Math.Min(options.MetricsEvery, 10);
        var source = new FolderImageSource(files, options.Normalization, options.ImageScale, options.ImageCacheBytes,
            new MicroscopyReadOptions { FirstPageOnly = options.Dimensions == 2 });
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
