using System.CommandLine;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace AdGan.Cli.Commands;

/// <summary>`adgan label`: turns decoded maps (8-bit PNG, 0-255 = [-1, 1]) into instance label maps (16-bit PNG, or TIFF for volumes).</summary>
public static class LabelCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var maps = new Option<string>("--maps") { Description = "Folder of decoded maps as PNG or TIFF (8-bit 0-255 maps to [-1, 1]; 3-level: 0, 127, 255; a multi-page TIFF is a volume).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the label maps (same file names: 16-bit PNG, TIFF for TIFF input).", Required = true };
        var semantic = new Option<bool>("--semantic") { Description = "Maps are semantic (0/255): split touching nuclei by a distance watershed." };
        var minSize = new Option<int>("--min-size") { Description = "Remove objects with fewer pixels.", DefaultValueFactory = _ => 10 };
        var command = new Command("label", "Label decoded AD-GAN maps into instance label maps (cores grown by watershed).");
        command.Options.Add(maps);
        command.Options.Add(output);
        command.Options.Add(semantic);
        command.Options.Add(minSize);
        command.SetAction(parseResult =>
        {
            try
            {
                var options = new InstanceLabelOptions
                {
                    Mode = parseResult.GetValue(semantic) ? InstanceLabelMode.Semantic : InstanceLabelMode.ThreeLevel,
                    MinObjectSize = parseResult.GetValue(minSize),
                };
                return Run(parseResult.GetValue(maps)!, parseResult.GetValue(output)!, options, Console.Out);
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Labels every PNG or TIFF map of a folder (a multi-page TIFF as a volume); a map that fails is reported and the rest labelled
    /// (unless --on-error stop). Returns the exit code: 0, or 3 when some maps failed.
    /// </summary>
    public static int Run(string mapsDir, string outDir, InstanceLabelOptions options, TextWriter log)
    {
        if (!Directory.Exists(mapsDir))
            throw new DirectoryNotFoundException($"Map folder '{mapsDir}' does not exist.");
        var files = EvaluateCommand.LabelFiles(mapsDir);
        if (files.Count == 0)
            throw new FileNotFoundException($"No .png, .tif or .tiff map in '{mapsDir}'.");
        Directory.CreateDirectory(outDir);
        var labeler = new InstanceLabeler(options);
        return BatchRunner.Run(files, f =>
        {
            var labels = labeler.Label(ReadMap(f));
            uint max = labels.Data.Length == 0 ? 0 : labels.Data.Max();
            MicroscopyImageWriter.WriteLabels(Path.Combine(outDir, Path.GetFileName(f)), labels);
            log.WriteLine($"{Path.GetFileName(f)}: {max} objects");
        }, log).Summarise(log);
    }

    /// <summary>Reads a decoded map as [-1, 1]: integer samples map 0..max to [-1, 1] (8-bit: 0-255), floating-point samples are kept.</summary>
    internal static ImageBuffer<float> ReadMap(string path)
    {
        var image = ImageReadArguments.ReadImage(path, ImageReadArguments.Create(channel: 0));
        if (image.IsFloatingPoint)
            return image.Image;
        float half = (float)(image.MaxValue / 2);
        var data = image.Image.Data;
        var map = new float[data.Length];
        for (int i = 0; i < map.Length; i++)
            map[i] = data[i] / half - 1f;
        return new ImageBuffer<float>(map, image.Image.Shape, image.Image.VoxelSize);
    }
}
