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
        var depth = new Option<int>("--depth") { Description = "Volume depth in slices as written; 0 for 2D.", DefaultValueFactory = _ => 0 };
        var zStep = new Option<int>("--z-step") { Description = "Volumes: simulate on cubic voxels and keep every N-th slice (confocal-like anisotropic stack; the Z voxel size is N x --pixel-size).", DefaultValueFactory = _ => 1 };
        var pixelSize = new Option<double?>("--pixel-size") { Description = "Volumes: in-plane voxel size in micrometres recorded in the TIFF (with the Z size); default 0.5 when --z-step > 1, otherwise none recorded." };
        var psfZ = new Option<double>("--psf-z") { Description = "Volumes: PSF sigma along Z in slices of the cubic grid (in-plane sigma is 1.5).", DefaultValueFactory = _ => defaults.PsfSigmaZ };
        var attenuation = new Option<double>("--attenuation") { Description = "Volumes: fraction of the signal lost at the deepest slice.", DefaultValueFactory = _ => defaults.DepthAttenuation };
        var radius = new Option<string>("--radius") { Description = "Nucleus semi-major axis range MIN,MAX in pixels.", DefaultValueFactory = _ => $"{defaults.SemiAxis.Min},{defaults.SemiAxis.Max}" };
        var number = new Option<string>("--number") { Description = "Nuclei per image MIN,MAX.", DefaultValueFactory = _ => $"{defaults.CountPerImage.Min},{defaults.CountPerImage.Max}" };
        var background = new Option<double>("--background") { Description = "Mean background level (0-255 scale).", DefaultValueFactory = _ => defaults.BackgroundLevel };
        var foreground = new Option<double>("--foreground") { Description = "Mean nucleus level (0-255 scale).", DefaultValueFactory = _ => defaults.ForegroundLevel };
        var bits = new Option<int>("--bit-depth") { Description = "8 or 16.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => defaults.Seed };
        var simulationCase = new Option<string?>("--case") { Description = "Start from a prepared case: dim-bright (a few nuclei 10-20 times brighter than the rest, uneven background, debris, 16-bit) or large-nuclei (large, elongated, textured nuclei with dark nucleoli); flags given explicitly change it." };
        var command = new Command("simulate", "Write simulated fluorescence nuclei images with exact instance labels.");
        foreach (var option in new Option[] { output, count, size, depth, zStep, pixelSize, psfZ, attenuation, radius, number, background, foreground, bits, seed, simulationCase })
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
                int step = parseResult.GetValue(zStep);
                if (step < 1)
                    throw new ArgumentException($"--z-step must be at least 1, got {step}.", "--z-step");
                double? pixel = parseResult.GetValue(pixelSize) ?? (step > 1 ? 0.5 : null);
                if (pixel is { } px && !(px > 0 && double.IsFinite(px)))
                    throw new ArgumentException($"--pixel-size must be positive, got {px}.", "--pixel-size");
                if (d == 0 && (step > 1 || pixel is not null))
                    throw new ArgumentException("--z-step and --pixel-size need a volume (--depth > 0).", "--z-step");
                string? caseName = parseResult.GetValue(simulationCase);
                var options = Case(caseName, parseResult.GetValue(seed), "--case") ?? new MicroscopySimulationOptions();
                bool Use(Option option) => caseName is null || parseResult.GetResult(option) is { Implicit: false };
                options.Shape = d > 0 ? ImageShape.Of3D(d * step, s, s) : ImageShape.Of2D(s, s);
                if (Use(psfZ))
                    options.PsfSigmaZ = parseResult.GetValue(psfZ);
                if (Use(attenuation))
                    options.DepthAttenuation = parseResult.GetValue(attenuation);
                if (Use(radius))
                    options.SemiAxis = RangeArgument.Parse(parseResult.GetValue(radius)!, "--radius");
                if (Use(number))
                    options.CountPerImage = RangeArgument.Parse(parseResult.GetValue(number)!, "--number");
                if (Use(background))
                    options.BackgroundLevel = parseResult.GetValue(background);
                if (Use(foreground))
                    options.ForegroundLevel = parseResult.GetValue(foreground);
                if (Use(bits))
                    options.BitDepth = parseResult.GetValue(bits);
                options.Seed = parseResult.GetValue(seed);
                options.Validate();
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
                    if (pixel is double p)
                        image = AnisotropicSampling.SampleZ(image, step, p);
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
                string written = d > 0 ? $"{d}x{s}x{s}" : options.Shape.ToString();
                string voxel = pixel is double v ? $" ({step * v:0.###} x {v:0.###} x {v:0.###} um voxels)" : "";
                Console.WriteLine($"simulate: {n} x {written}{voxel} {options.BitDepth}-bit -> {folder}; nuclei {nuclei / k:F1} ({touching / k:F1} touching), BG {bg / k:F1}, FG {fg / k:F1}, S/N {ratio / k:F2}, {watch.Elapsed.TotalMilliseconds / k:F0} ms/image");
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

    /// <summary>The prepared simulation case named <paramref name="name"/> (null: none); <paramref name="option"/> names the flag in errors.</summary>
    internal static MicroscopySimulationOptions? Case(string? name, int seed, string option) => name?.ToLowerInvariant() switch
    {
        null => null,
        "dim-bright" or "dim-beside-bright" => MicroscopySimulationOptions.DimBesideBright(seed),
        "large-nuclei" or "large" => MicroscopySimulationOptions.LargeNuclei(seed),
        _ => throw new ArgumentException($"{option} must be dim-bright or large-nuclei, not '{name}'.", option),
    };
}
