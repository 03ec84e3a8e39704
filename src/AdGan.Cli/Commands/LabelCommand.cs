using System.CommandLine;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace AdGan.Cli.Commands;

/// <summary>`adgan label`: turns decoded maps (8-bit PNG, 0-255 = [-1, 1]) into 16-bit instance label maps.</summary>
public static class LabelCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var maps = new Option<string>("--maps") { Description = "Folder of decoded maps as PNG (0-255 maps to [-1, 1]; 3-level: 0, 127, 255).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the 16-bit PNG label maps (same file names).", Required = true };
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
                Run(parseResult.GetValue(maps)!, parseResult.GetValue(output)!, options, Console.Out);
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or UnknownImageFormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Labels every PNG map of a folder; returns the number of files.</summary>
    public static int Run(string mapsDir, string outDir, InstanceLabelOptions options, TextWriter log)
    {
        if (!Directory.Exists(mapsDir))
            throw new DirectoryNotFoundException($"Map folder '{mapsDir}' does not exist.");
        var files = Directory.GetFiles(mapsDir, "*.png").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new FileNotFoundException($"No .png map in '{mapsDir}'.");
        Directory.CreateDirectory(outDir);
        var labeler = new InstanceLabeler(options);
        foreach (var f in files)
        {
            using var image = Image.Load<L8>(f);
            var pixels = new L8[image.Width * image.Height];
            image.CopyPixelDataTo(pixels);
            var map = new float[pixels.Length];
            for (int i = 0; i < map.Length; i++)
                map[i] = pixels[i].PackedValue / 127.5f - 1f;
            var labels = labeler.Label(new ImageBuffer<float>(map, ImageShape.Of2D(image.Height, image.Width)));
            uint max = labels.Data.Length == 0 ? 0 : labels.Data.Max();
            if (max > ushort.MaxValue)
                throw new ArgumentException($"'{f}' has {max} objects: more than a 16-bit PNG holds.");
            var outPixels = labels.Data.Select(v => new L16((ushort)v)).ToArray();
            using var result = Image.LoadPixelData<L16>(outPixels, image.Width, image.Height);
            string target = Path.Combine(outDir, Path.GetFileName(f));
            result.SaveAsPng(target);
            log.WriteLine($"{Path.GetFileName(f)}: {max} objects");
        }

        return files.Count;
    }
}
