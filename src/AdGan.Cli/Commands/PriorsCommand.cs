using System.CommandLine;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace AdGan.Cli.Commands;

/// <summary><c>adgan priors</c>: estimates the synthetic-mask priors and a working scale from a folder of unlabeled images.</summary>
public static class PriorsCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var defaults = new PriorEstimationOptions();
        var images = new Option<string>("--images") { Description = "Folder of unlabeled images (PNG, TIFF, JPEG, BMP; 2D).", Required = true };
        var patch = new Option<int>("--patch") { Description = "Training patch side in pixels at the working scale.", DefaultValueFactory = _ => defaults.PatchSize };
        var targetRadius = new Option<double?>("--target-radius") { Description = "Wanted median nucleus semi-axis in pixels at the working scale (sets the image scale; default: keep scale 1)." };
        var output = new Option<string>("--out") { Description = "JSON file to save the priors to.", DefaultValueFactory = _ => "priors.json" };
        var recursive = new Option<bool>("--recursive") { Description = "Also read images in subfolders." };
        var channel = new Option<int?>("--channel") { Description = "Channel of multi-channel images (default: average of the colour channels)." };
        var command = new Command("priors", "Estimate the synthetic-mask priors (semi-axis range, nuclei per patch) and a working scale from unlabeled images.");
        foreach (var option in new Option[] { images, patch, targetRadius, output, recursive, channel })
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                var options = new PriorEstimationOptions
                {
                    PatchSize = parseResult.GetValue(patch),
                    TargetRadius = parseResult.GetValue(targetRadius),
                    Recursive = parseResult.GetValue(recursive),
                    ReadOptions = ImageReadArguments.Create(channel: parseResult.GetValue(channel)),
                };
                return Run(parseResult.GetValue(images)!, parseResult.GetValue(output)!, options, Console.Out).ExitCode;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Estimates the priors of <paramref name="imageFolder"/> from the images that can be read and measured (a failed image is
    /// reported, unless --on-error stop), prints the table and a summary to <paramref name="log"/> and saves them to <paramref name="outputPath"/>.
    /// </summary>
    internal static (EstimatedPriors Priors, int ExitCode) Run(string imageFolder, string outputPath, PriorEstimationOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrEmpty(imageFolder);
        var files = MicroscopyImageReader.ListFiles(imageFolder, options.Recursive);
        if (files.Count == 0)
            throw new MicroscopyImageException(imageFolder, $"the folder holds no image file ({string.Join(", ", MicroscopyImageReader.SupportedExtensions)}).");
        var estimator = new PriorEstimator(options);
        var measurements = new List<ImageNucleusMeasurement>(files.Count);
        var progress = ConsoleProgress.For(log);
        progress.Start("priors", files.Count);
        var batch = BatchRunner.Run(files, file =>
        {
            measurements.Add(estimator.MeasureFile(file));
            progress.Advance();
        }, log);
        progress.Done();
        if (measurements.Count == 0)
        {
            batch.Summarise(log);
            throw new InvalidDataException($"No image of '{imageFolder}' could be measured.");
        }

        var priors = estimator.Combine(measurements);
        log.WriteLine(priors.ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        priors.Save(outputPath);
        log.WriteLine($"saved {outputPath}");
        return (priors, batch.Summarise(log));
    }
}
