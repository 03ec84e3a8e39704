using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace AdGan.Cli.Commands;

/// <summary><c>adgan simulate</c>: writes simulated fluorescence images with exact instance labels.</summary>
public static class SimulateCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var defaults = new MicroscopySimulationOptions();
        var output = new Option<string>("--out") { Description = "Output folder (images/ and labels/ are created in it).", DefaultValueFactory = _ => "simulated" };
        var count = new Option<int>("--count") { Description = "Number of images.", DefaultValueFactory = _ => 4 };
        var size = new Option<int>("--size") { Description = "Image height and width in pixels.", DefaultValueFactory = _ => 512 };
        var depth = new Option<int>("--depth") { Description = "Volume depth in slices; 0 for 2D.", DefaultValueFactory = _ => 0 };
        var radius = new Option<string>("--radius") { Description = "Nucleus semi-major axis range MIN,MAX in pixels.", DefaultValueFactory = _ => $"{defaults.SemiAxis.Min},{defaults.SemiAxis.Max}" };
        var number = new Option<string>("--number") { Description = "Nuclei per image MIN,MAX.", DefaultValueFactory = _ => $"{defaults.CountPerImage.Min},{defaults.CountPerImage.Max}" };
        var background = new Option<double>("--background") { Description = "Mean background level (0-255 scale).", DefaultValueFactory = _ => defaults.BackgroundLevel };
        var foreground = new Option<double>("--foreground") { Description = "Mean nucleus level (0-255 scale).", DefaultValueFactory = _ => defaults.ForegroundLevel };
        var bits = new Option<int>("--bit-depth") { Description = "8 or 16.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("simulate", "Write simulated fluorescence nuclei images with exact instance labels.");
        foreach (var option in new Option[] { output, count, size, depth, radius, number, background, foreground, bits, seed })
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                int n = parseResult.GetValue(count);
                if (n < 0)
                    throw new ArgumentException($"--count must not be negative, got {n}.", "--count");
                int s = parseResult.GetValue(size), d = parseResult.GetValue(depth);
                if (s < 1 || d < 0)
                    throw new ArgumentException($"--size must be positive and --depth not negative, got {s} and {d}.", s < 1 ? "--size" : "--depth");
                var options = new MicroscopySimulationOptions
                {
                    Shape = d > 0 ? ImageShape.Of3D(d, s, s) : ImageShape.Of2D(s, s),
                    SemiAxis = RangeArgument.Parse(parseResult.GetValue(radius)!, "--radius"),
                    CountPerImage = RangeArgument.Parse(parseResult.GetValue(number)!, "--number"),
                    BackgroundLevel = parseResult.GetValue(background),
                    ForegroundLevel = parseResult.GetValue(foreground),
                    BitDepth = parseResult.GetValue(bits),
                    Seed = parseResult.GetValue(seed),
                };
                var simulator = new MicroscopySimulator(options);
                string folder = parseResult.GetValue(output)!;
                string images = Path.Combine(folder, "images"), labels = Path.Combine(folder, "labels");
                Directory.CreateDirectory(images);
                Directory.CreateDirectory(labels);
                double bg = 0, fg = 0, ratio = 0, nuclei = 0, touching = 0;
                var watch = new Stopwatch();
                for (int i = 0; i < n; i++)
                {
                    watch.Start();
                    var image = simulator.Simulate(i);
                    watch.Stop();
                    var stats = SimulationStatistics.Compute(image.Image, image.Labels);
                    bg += stats.BackgroundMean;
                    fg += stats.ForegroundMean;
                    ratio += stats.SignalToNoise;
                    nuclei += image.NucleusCount;
                    touching += image.TouchingNuclei;
                    string name = $"sim_{i:D5}";
                    SynthesisImageFiles.Write(Path.Combine(images, name), image.Image, options.BitDepth);
                    SynthesisImageFiles.Write(Path.Combine(labels, name), image.Labels);
                }

                double k = Math.Max(1, n);
                Console.WriteLine($"simulate: {n} x {options.Shape} {options.BitDepth}-bit -> {folder}; nuclei {nuclei / k:F1} ({touching / k:F1} touching), BG {bg / k:F1}, FG {fg / k:F1}, S/N {ratio / k:F2}, {watch.Elapsed.TotalMilliseconds / k:F0} ms/image");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"adgan simulate: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
