using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using TorchSharp;
using static System.FormattableString;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench infer`: megapixels per second and peak memory of decoding a large image with an untrained generator, whole
/// and in tiles, in one process; the time of instance labelling; and the same generator in PyTorch
/// (benchmarks/reference_generator.py) timed on the same CPU, image size and thread count, so the ratio holds on any machine.
/// </summary>
internal static class BenchInferCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "Sides of the square test images, comma-separated.", DefaultValueFactory = _ => "2048,4096" };
        var ngf = new Option<int>("--ngf") { Description = "Base channel count of the (untrained) model.", DefaultValueFactory = _ => 16 };
        var tile = new Option<int>("--tile") { Description = "Tile side of the fixed tilings compared against (0: compare the whole image with the default only).", DefaultValueFactory = _ => 512 };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (ours and the reference).", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each configuration, interleaved (the best counts).", DefaultValueFactory = _ => 1 };
        var precision = new Option<string?>("--precision") { Description = "float32 or bf16; default float32, and bf16 as well where the CPU computes bfloat16 natively." };
        var python = new Option<string?>("--python") { Description = "Python with PyTorch for the reference (default /usr/bin/python3, else python3 on PATH)." };
        var script = new Option<string?>("--reference") { Description = "The reference script (default: benchmarks/reference_generator.py above the working directory or the tool)." };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch reference." };
        var budget = new Option<int?>("--budget") { Description = "MemoryBudgetMiB of the default tiling (default: TilingOptions' default); a smaller one shows the tiled path on a smaller image." };
        var command = new Command("infer", "Megapixels per second and peak memory of inference of large images with an untrained model, whole and tiled, with instance labelling time and the same generator in PyTorch timed in the same run.")
        {
            sizes, ngf, tile, threads, repeats, precision, python, script, noReference, budget,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var sides = parseResult.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => int.TryParse(s, out int v) && v >= 8 ? v : throw new ArgumentException($"--sizes: '{s}' is not a side of at least 8.")).ToArray();
                var precisions = parseResult.GetValue(precision) is { } p
                    ? new[] { BenchCommand.ParsePrecision(p) }
                    : BFloat16Support.IsNative ? new[] { ComputePrecision.Float32, ComputePrecision.BFloat16Mixed } : new[] { ComputePrecision.Float32 };
                var reference = parseResult.GetValue(noReference) ? null : new ReferenceGenerator(parseResult.GetValue(python), parseResult.GetValue(script));
                var automatic = parseResult.GetValue(budget) is int b ? new TilingOptions { MemoryBudgetMiB = b } : new TilingOptions();
                return Run(sides, parseResult.GetValue(ngf), parseResult.GetValue(tile), parseResult.GetValue(threads), parseResult.GetValue(repeats), precisions, automatic, reference, Console.Out);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int Run(int[] sides, int ngf, int tile, int threads, int repeats, ComputePrecision[] precisions, TilingOptions automatic, ReferenceGenerator? reference, TextWriter log)
    {
        if (threads < 1 || repeats < 1)
            throw new ArgumentException("--threads and --repeats must be at least 1.");
        torch.set_num_threads(threads);
        using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = ngf });
        double multiplyAdds = GeneratorCost.MultiplyAddsPerInputPixel(networks);
        log.WriteLine(Invariant($"bench infer: ngf {ngf}, {threads} threads, {repeats} timed run(s) per configuration (best counts); CPU: {CpuKind()}"));
        log.WriteLine(Invariant($"  generator: {multiplyAdds:N0} multiply-adds ({2 * multiplyAdds / 1e3:F1} kFLOP) per input pixel, counted from its convolutions"));
        using var model = new AdGanSegmentationModel(networks, new AdGanInferenceSettings { BaseChannels = ngf });
        new NucleusSegmenter(model).DecodeNormalized(Image(256));   // warm-up
        foreach (int size in sides)
        {
            var image = Image(size);
            foreach (var precision in precisions)
            {
                networks.ComputePrecision = precision;
                log.WriteLine(Invariant($"  {size} x {size}, {BenchCommand.Name(precision)}; default tiling: {Layout(model, size, automatic)}"));
                var configurations = Configurations(size, tile, automatic);
                var seconds = MeasureConfigurations(model, image, configurations, repeats, log);
                if (reference is null)
                    continue;
                var (referenceSeconds, description) = reference.Measure(size, ngf, threads, precision, repeats);
                if (referenceSeconds is not double r)
                {
                    log.WriteLine($"    reference generator: {description}");
                    continue;
                }
                double megapixels = (double)size * size / 1e6;
                log.WriteLine(Invariant($"    {"reference: " + description + ", whole image",-36} {r,7:F1} s {megapixels / r,6:F3} MP/s"));
                log.WriteLine(Invariant($"    ours / reference: whole image {r / seconds[0]:F2}x, {configurations[^1].Name} {r / seconds[^1]:F2}x"));
            }
        }
        return 0;
    }

    /// <summary>
    /// The tilings compared: the whole image as one tile first (the yardstick); fixed tiles of <paramref name="tile"/> with a
    /// statistics pass over every tile (the tiling before tiles grew to a memory budget) and with per-tile statistics; then
    /// the default.
    /// </summary>
    private static (string Name, TilingOptions Tiling)[] Configurations(int size, int tile, TilingOptions automatic)
    {
        var whole = ("whole image", new TilingOptions { TileSize = TiledInference.RoundUp(size), MemoryBudgetMiB = 0 });
        var budgeted = (Invariant($"default tiling, budget {automatic.MemoryBudgetMiB} MiB"), automatic);
        if (tile == 0)
            return new[] { whole, budgeted };
        return new[]
        {
            whole,
            (Invariant($"tiles {tile}, full statistics pass"), new TilingOptions { TileSize = tile, MemoryBudgetMiB = 0, StatisticsSample = 1 }),
            (Invariant($"tiles {tile}, per-tile statistics"), new TilingOptions { TileSize = tile, Statistics = TileStatistics.Tile }),
            budgeted,
        };
    }

    /// <summary>How <paramref name="tiling"/> cuts an image of <paramref name="size"/>² for <paramref name="model"/>.</summary>
    private static string Layout(AdGanSegmentationModel model, int size, TilingOptions tiling)
    {
        var shape = ImageShape.Of2D(size, size);
        var sides = TiledInference.TileSides(shape, model.Head.Network, tiling);
        if (sides[1] >= size && sides[2] >= size)
            return Invariant($"the whole image fits the {tiling.MemoryBudgetMiB} MiB budget");
        int Count(int side) => TiledInference.TileStarts(size, Math.Min(side, size), (int)Math.Round(TiledInference.RoundUp(tiling.TileSize) * tiling.Overlap)).Length;
        int baseTiles = Count(TiledInference.RoundUp(tiling.TileSize)) * Count(TiledInference.RoundUp(tiling.TileSize));
        return Invariant($"{Count(sides[1]) * Count(sides[2])} tiles of {sides[1]} x {sides[2]} within the {tiling.MemoryBudgetMiB} MiB budget; statistics from {TiledInference.SampleTiles(Enumerable.Range(0, baseTiles).Select(i => new[] { i }).ToList(), tiling.StatisticsSample).Count} of {baseTiles} tiles of {tiling.TileSize}");
    }

    /// <summary>
    /// Times every configuration <paramref name="repeats"/> times, interleaved so that a change in the machine's load touches
    /// all of them, printing each one's best time, peak memory and mask agreement with the whole image as its last run ends;
    /// then times instance labelling of the last configuration's map. Returns the best seconds of each.
    /// </summary>
    private static double[] MeasureConfigurations(AdGanSegmentationModel model, ImageBuffer<float> image, (string Name, TilingOptions Tiling)[] configurations, int repeats, TextWriter log)
    {
        var seconds = new double[configurations.Length];
        var peaks = new double[configurations.Length];
        Array.Fill(seconds, double.PositiveInfinity);
        double megapixels = (double)image.Shape.Length / 1e6;
        ImageBuffer<byte>? wholeMask = null;
        ImageBuffer<float>? lastMap = null;
        for (int run = 0; run < repeats; run++)
        {
            for (int c = 0; c < configurations.Length; c++)
            {
                using var variant = model.WithSettings(model.Settings with { Tiling = configurations[c].Tiling });
                var segmenter = new NucleusSegmenter(variant);
                lastMap = null;
                GC.Collect();
                ResetPeakMemory();
                var clock = Stopwatch.StartNew();
                lastMap = segmenter.DecodeNormalized(image).Map;
                seconds[c] = Math.Min(seconds[c], clock.Elapsed.TotalSeconds);
                peaks[c] = Math.Max(peaks[c], BenchCommand.PeakWorkingSetMiB());
                if (run < repeats - 1)
                    continue;
                var mask = model.Foreground(lastMap);
                wholeMask ??= mask;
                string agreement = c == 0 ? "" : Invariant($"  mask Dice vs whole {Dice(mask, wholeMask):F4}");
                log.WriteLine(Invariant($"    {configurations[c].Name,-36} {seconds[c],7:F1} s {megapixels / seconds[c],6:F3} MP/s  {seconds[0] / seconds[c],5:F2}x whole  peak RSS {peaks[c],6:F0} MiB{agreement}"));
            }
        }
        var labeler = new InstanceLabeler(new NucleusSegmenter(model).LabelOptions);
        var labelClock = Stopwatch.StartNew();
        var labels = labeler.Label(lastMap!, image, 1.0);
        double labelSeconds = labelClock.Elapsed.TotalSeconds;
        log.WriteLine(Invariant($"    instance labelling of the last map: {labelSeconds:F1} s ({labelSeconds / (labelSeconds + seconds[^1]):P0} of decode + label), {labels.Data.Distinct().Count() - 1} instances"));
        return seconds;
    }

    private static ImageBuffer<float> Image(int size) =>
        new(SmoothNoise.Image(size, size, new Random(5)), ImageShape.Of2D(size, size));

    /// <summary>The vector instruction sets this CPU offers for float32, and whether it computes bfloat16 natively.</summary>
    internal static string CpuKind()
    {
        string vectors = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512"
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2"
            : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "NEON" : "no AVX2";
        return Invariant($"{vectors}, {(BFloat16Support.IsNative ? "native BF16" : "no native BF16")}, {Environment.ProcessorCount} logical processors");
    }

    /// <summary>Resets the process's peak resident set size (VmHWM) where Linux allows it, so each configuration reports its own peak.</summary>
    private static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static double Dice(ImageBuffer<byte> a, ImageBuffer<byte> b)
    {
        long both = 0, sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            both += a.Data[i] != 0 && b.Data[i] != 0 ? 1 : 0;
            sum += (a.Data[i] != 0 ? 1 : 0) + (b.Data[i] != 0 ? 1 : 0);
        }
        return sum == 0 ? 1 : 2.0 * both / sum;
    }
}
