using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace AdGan.Cli.Commands;

/// <summary><c>adgan masks</c>: writes synthetic masks (domain B) as PNG (2D) or multi-page TIFF (3D).</summary>
public static class MasksCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "masks" };
        var count = new Option<int>("--count") { Description = "Number of patches.", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Patch height and width in pixels.", DefaultValueFactory = _ => 256 };
        var depth = new Option<int>("--depth") { Description = "Patch depth in slices; 0 for 2D.", DefaultValueFactory = _ => 0 };
        var radius = new Option<string>("--radius") { Description = "Semi-major axis range MIN,MAX in pixels (MAX exclusive, as the reference).", DefaultValueFactory = _ => "13,18" };
        var number = new Option<string>("--number") { Description = "Ellipses per patch MIN,MAX (inclusive).", DefaultValueFactory = _ => "5,40" };
        var instance = new Option<bool>("--instance") { Description = "3-level instance coding 0/127/255 instead of 0/255." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 10 };
        var command = new Command("masks", "Write synthetic non-overlapping ellipse masks (AD-GAN domain B).");
        foreach (var option in new Option[] { output, count, size, depth, radius, number, instance, seed })
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
                var options = new SyntheticMaskOptions
                {
                    PatchShape = d > 0 ? ImageShape.Of3D(d, s, s) : ImageShape.Of2D(s, s),
                    SemiAxis = RangeArgument.Parse(parseResult.GetValue(radius)!, "--radius"),
                    CountPerPatch = RangeArgument.Parse(parseResult.GetValue(number)!, "--number"),
                    Coding = parseResult.GetValue(instance) ? SyntheticMaskCoding.ThreeLevel : SyntheticMaskCoding.Semantic,
                    Seed = parseResult.GetValue(seed),
                };
                var generator = new SyntheticMaskGenerator(options);
                string folder = parseResult.GetValue(output)!;
                Directory.CreateDirectory(folder);
                long accepted = 0, targets = 0;
                int stopped = 0;
                var watch = new Stopwatch();
                for (int i = 0; i < n; i++)
                {
                    watch.Start();
                    var patch = generator.Generate(i);
                    watch.Stop();
                    accepted += patch.Ellipses.Count;
                    targets += patch.TargetCount;
                    stopped += patch.StoppedByRejections ? 1 : 0;
                    SynthesisImageFiles.Write(Path.Combine(folder, $"mask_{i:D5}"), patch.Mask);
                }

                Console.WriteLine($"masks: {n} x {options.PatchShape} {options.Coding} -> {folder}; ellipses per patch {(n > 0 ? (double)accepted / n : 0):F1} (target {(n > 0 ? (double)targets / n : 0):F1}), {stopped} stopped by rejections, {(n > 0 ? watch.Elapsed.TotalMilliseconds / n : 0):F2} ms/patch");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"adgan masks: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
