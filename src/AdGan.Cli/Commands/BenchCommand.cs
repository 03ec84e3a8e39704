using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.ML.AdGan.Tools.Benchmarks;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench train|precision|label|memory|volumes`: speed and memory of training and labelling, and the drift
/// of the bfloat16-mixed path; `adgan bench infer` (inference, against the PyTorch reference) lives in <see cref="BenchInferCommand"/>, `adgan bench quality` (against the classical baseline) lives in <see cref="QualityBenchCommand"/>, `adgan bench
/// baseline` (the baseline against the truth) in <see cref="BenchBaselineCommand"/>.
/// </summary>
internal static class BenchCommand
{
    private static readonly ComputePrecision[] BothPrecisions = { ComputePrecision.Float32, ComputePrecision.BFloat16Mixed };

    public static Command Create()
    {
        var command = new Command("bench", "Measure training and inference speed, the drift of the fast (bfloat16-mixed) path, and segmentation quality (2D and 3D) against the classical baseline.");
        command.Subcommands.Add(CreateTrain());
        command.Subcommands.Add(BenchInferCommand.Create());
        command.Subcommands.Add(CreatePrecision());
        command.Subcommands.Add(QualityBenchCommand.Create());
        command.Subcommands.Add(BenchBaselineCommand.Create());
        command.Subcommands.Add(CreateLabel());
        command.Subcommands.Add(CreateMemory());
        command.Subcommands.Add(BenchVolumesCommand.Create());
        command.Subcommands.Add(BenchOnnxCommand.Create());
        return command;
    }

    /// <summary>Parses a --precision value: float32, bf16 (bfloat16-mixed) or both.</summary>
    internal static ComputePrecision[] ParsePrecisions(string? value) => value?.ToLowerInvariant() switch
    {
        null or "both" => BothPrecisions,
        var single => new[] { ParsePrecision(single) },
    };

    /// <summary>Parses one precision name.</summary>
    internal static ComputePrecision ParsePrecision(string value) => value.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ComputePrecision.Float32,
        "bf16" or "bfloat16" or "bf16-mixed" or "bfloat16-mixed" or "mixed" => ComputePrecision.BFloat16Mixed,
        _ => throw new ArgumentException($"--precision must be float32 or bf16 (bfloat16-mixed), not '{value}'."),
    };

    internal static string Name(ComputePrecision precision) => precision == ComputePrecision.Float32 ? "float32" : "bf16-mixed";

    internal static Option<int> IntOption(string name, string description, int value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Command CreateTrain()
    {
        var crop = IntOption("--crop", "Crop size (multiple of 4, >= 24).", 128);
        var ngf = IntOption("--ngf", "Base channel count.", 32);
        var batch = IntOption("--batch", "Batch size.", 4);
        var iterations = IntOption("--iterations", "Timed iterations per precision.", 5);
        var warmup = IntOption("--warmup", "Untimed iterations first.", 2);
        var threads = IntOption("--threads", "Torch intra-op threads.", 2);
        var precision = new Option<string>("--precision") { Description = "float32, bf16 or both.", DefaultValueFactory = _ => "both" };
        var command = new Command("train", "Seconds per training iteration of each precision on synthetic inputs, and how far the losses and weight updates of the fast path drift from float32's after the same steps from the same init.")
        {
            crop, ngf, batch, iterations, warmup, threads, precision,
        };
        command.SetAction(parseResult => Guard(() => BenchTrain(
            parseResult.GetValue(crop), parseResult.GetValue(ngf), parseResult.GetValue(batch), parseResult.GetValue(iterations),
            parseResult.GetValue(warmup), parseResult.GetValue(threads), ParsePrecisions(parseResult.GetValue(precision)))));
        return command;
    }

    private static Command CreatePrecision()
    {
        var run = new TinyRunOptions(crop: 64, ngf: 16, batch: 4, iterations: 300, "Training iterations per precision (half constant, half decay).");
        var size = IntOption("--size", "Side of the simulated images.", 256);
        var command = new Command("precision", "Trains the same tiny model in both precisions from the same init on simulated microscopy and compares losses and pixel Dice against the simulation truth.");
        run.AddTo(command);
        command.Options.Add(size);
        command.SetAction(parseResult => Guard(() =>
        {
            var (crop, ngf, batch, iterations, threads) = run.Values(parseResult);
            return BenchPrecision(crop, ngf, batch, iterations, threads, parseResult.GetValue(size));
        }));
        return command;
    }

    private static Command CreateLabel()
    {
        var size = IntOption("--size", "Side of the square synthetic decoded map in pixels.", 4096);
        var seed = IntOption("--seed", "Seed of the synthetic map.", 1);
        var command = new Command("label", "Seconds per post-processing step (components, distance transform, watershed, instance labelling, hole filling) on a synthetic map of touching nuclei, one thread.")
        {
            size, seed,
        };
        command.SetAction(parseResult => Guard(() =>
        {
            var side = parseResult.GetValue(size);
            if (side < 16) throw new ArgumentException($"--size must be at least 16, not {side}.");
            PostProcessingBenchmark.Run(side, side, Console.Out, parseResult.GetValue(seed));
            return 0;
        }));
        return command;
    }

    private static Command CreateMemory()
    {
        var run = new TinyRunOptions(crop: 32, ngf: 4, batch: 2, iterations: 3000, "Training iterations (half constant, half decay).");
        var every = IntOption("--every", "Print a row every this many iterations.", 250);
        var command = new Command("memory", "Trains a tiny model on simulated images and prints resident memory, the managed heap and TorchSharp's live tensors every N iterations, so that a plateau (or a leak) shows.");
        run.AddTo(command);
        command.Options.Add(every);
        command.SetAction(parseResult => Guard(() =>
        {
            var (crop, ngf, batch, iterations, threads) = run.Values(parseResult);
            return BenchMemory(iterations, parseResult.GetValue(every), crop, ngf, batch, threads);
        }));
        return command;
    }

    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int BenchTrain(int crop, int ngf, int batch, int iterations, int warmup, int threads, ComputePrecision[] precisions)
    {
        if (iterations < 1 || warmup < 0) throw new ArgumentException("--iterations must be >= 1 and --warmup >= 0.");
        torch.set_num_threads(threads);
        if (precisions.Contains(ComputePrecision.BFloat16Mixed) && BFloat16Support.SlowWarning(ComputePrecision.BFloat16Mixed) is { } slow) Console.Error.WriteLine(slow);
        var total = warmup + iterations;
        var images = SmoothNoise.Batches(total, batch, crop, seed: 11);
        var maskOptions = new SyntheticMaskOptions { SemiAxis = (crop / 12 + 2, crop / 8 + 3), CountPerPatch = (3, 8), PatchShape = ImageShape.Of2D(crop, crop), Seed = 12 };
        var masks = new List<float[]>();
        using (var producer = new MaskBatchProducer(maskOptions, batch, 0, total, 2))
            for (var i = 0; i < total; i++) masks.Add(producer.Next());

        Console.WriteLine(Invariant($"bench train: crop {crop}, ngf {ngf}, batch {batch}, {warmup} warm-up + {iterations} timed iterations, {threads} threads"));
        var results = new Dictionary<ComputePrecision, (double[] Seconds, List<AdGanStepLosses> Losses, Dictionary<string, float[]> Update)>();
        foreach (var precision in precisions)
        {
            using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = ngf, Seed = 10, ComputePrecision = precision });
            var initial = Snapshot(networks);
            using var step = new AdGanTrainingStep(networks, new AdGanStepOptions(), new Random(10));
            var seconds = new List<double>();
            var losses = new List<AdGanStepLosses>();
            var shape = new long[] { batch, 1, crop, crop };
            for (var i = 0; i < total; i++)
            {
                using var scope = NewDisposeScope();
                var xA = tensor(images[i], shape);
                var xB = tensor(masks[i], shape);
                var clock = Stopwatch.StartNew();
                losses.Add(step.Step(xA, xB));
                if (i >= warmup) seconds.Add(clock.Elapsed.TotalSeconds);
            }
            var final = Snapshot(networks);
            var update = final.ToDictionary(kv => kv.Key, kv => kv.Value.Zip(initial[kv.Key], (a, b) => a - b).ToArray());
            var s = seconds.ToArray();
            results[precision] = (s, losses, update);
            Console.WriteLine(Invariant($"  {Name(precision),-10} {s.Average():F3} s/it (min {s.Min():F3}, max {s.Max():F3}); last losses {losses[^1]}"));
        }
        if (results.Count == 2)
        {
            var f = results[ComputePrecision.Float32];
            var m = results[ComputePrecision.BFloat16Mixed];
            Console.WriteLine(Invariant($"  speed-up of bf16-mixed: {f.Seconds.Average() / m.Seconds.Average():F2}x (mean), {f.Seconds.Min() / m.Seconds.Min():F2}x (best)"));
            Console.WriteLine("  quality after the same steps from the same init (relative difference bf16-mixed vs float32):");
            foreach (var i in new[] { 0, total / 2, total - 1 }.Distinct())
            {
                var a = f.Losses[i];
                var b = m.Losses[i];
                Console.WriteLine(Invariant($"    step {i + 1}: rec {Rel(b.Reconstruction, a.Reconstruction):P2} cyc {Rel(b.Cycle, a.Cycle):P2} ctr {Rel(b.Content, a.Content):P2} adv {Rel(b.Adversarial, a.Adversarial):P2} dis {Rel(b.Discriminator, a.Discriminator):P2}"));
            }
            double diff = 0, norm = 0;
            foreach (var (name, u) in f.Update)
            {
                var v = m.Update[name];
                for (var k = 0; k < u.Length; k++)
                {
                    diff += (double)(v[k] - u[k]) * (v[k] - u[k]);
                    norm += (double)u[k] * u[k];
                }
            }
            Console.WriteLine(Invariant($"    weight updates after {total} steps: ||dW_bf16 - dW_f32|| / ||dW_f32|| = {Math.Sqrt(diff / norm):P2}"));
        }
        return 0;
    }

    private static int BenchPrecision(int crop, int ngf, int batch, int iterations, int threads, int size)
    {
        torch.set_num_threads(threads);
        if (BFloat16Support.SlowWarning(ComputePrecision.BFloat16Mixed) is { } slow) Console.Error.WriteLine(slow);
        var simulation = new MicroscopySimulationOptions { Shape = ImageShape.Of2D(size, size), SemiAxis = (8, 13), CountPerImage = (size * size / 4500, size * size / 2500), Seed = 21 };
        var simulator = new MicroscopySimulator(simulation);
        var train = Enumerable.Range(0, 6).Select(i => simulator.Simulate(i)).ToList();
        var test = Enumerable.Range(100, 3).Select(i => simulator.Simulate(i)).ToList();
        Console.WriteLine(Invariant($"bench precision: crop {crop}, ngf {ngf}, batch {batch}, {iterations} iterations, {train.Count} simulated {size}x{size} training images, {test.Count} test images, {threads} threads"));
        var dice = new Dictionary<ComputePrecision, double>();
        var decodedMaps = new Dictionary<ComputePrecision, List<float[]>>();
        foreach (var precision in BothPrecisions)
        {
            var options = new AdGanTrainerOptions();
            options.CropSize = crop;
            options.BaseChannels = ngf;
            options.BatchSize = batch;
            options.Iterations = (iterations + 1) / 2;
            options.DecayIterations = iterations / 2;
            options.Masks.SemiAxis = (8, 13);
            options.Threads = threads;
            options.Precision = precision;
            options.MetricsEvery = Math.Max(1, iterations / 6);
            options.Tiling = new TilingOptions { TileSize = Math.Max(crop, 128) };
            var progress = new ConsoleProgress();
            options.MetricsCallback = progress.Report;
            var source = new InMemoryImageSource(train.Select(t => t.Image), options.Normalization, 1.0);
            var clock = Stopwatch.StartNew();
            using var trainer = new AdGanTrainer(options, source);
            using var model = trainer.Train();
            progress.Done();
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"  {Name(precision)}: {seconds:F0} s ({seconds / iterations:F3} s/it)"));
            foreach (var row in trainer.LossHistory)
                Console.WriteLine(Invariant($"    it {row[0],5:F0}: rec {row[1]:F3} cyc {row[2]:F3} ctr {row[3]:F3} adv {row[4]:F3} dis {row[5]:F3}"));
            long intersection = 0, predicted = 0, truth = 0;
            var maps = new List<float[]>();
            foreach (var t in test)
            {
                var decoded = model.Decode(t.Image);
                maps.Add(decoded.Data);
                var foreground = model.Foreground(decoded).Data;
                var labels = t.Labels.Data;
                for (var i = 0; i < labels.Length; i++)
                {
                    var p = foreground[i] != 0;
                    var g = labels[i] != 0;
                    if (p) predicted++;
                    if (g) truth++;
                    if (p && g) intersection++;
                }
            }
            dice[precision] = 2.0 * intersection / Math.Max(1, predicted + truth);
            decodedMaps[precision] = maps;
            Console.WriteLine(Invariant($"    pixel Dice vs simulation truth on {test.Count} test images: {dice[precision]:F4}"));
        }
        double sum = 0;
        long n = 0;
        for (var k = 0; k < test.Count; k++)
            for (var i = 0; i < decodedMaps[ComputePrecision.Float32][k].Length; i++, n++)
                sum += Math.Abs(decodedMaps[ComputePrecision.Float32][k][i] - decodedMaps[ComputePrecision.BFloat16Mixed][k][i]);
        Console.WriteLine(Invariant($"  Dice float32 {dice[ComputePrecision.Float32]:F4}, bf16-mixed {dice[ComputePrecision.BFloat16Mixed]:F4}; mean |decoded map difference| of the two trained models {sum / n:F3}"));
        return 0;
    }

    private static int BenchMemory(int iterations, int every, int crop, int ngf, int batch, int threads)
    {
        if (iterations < 2 || every < 1) throw new ArgumentException($"--iterations must be >= 2 and --every >= 1 (got {iterations} and {every}).");
        torch.set_num_threads(threads);
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(128, 128), SemiAxis = (6, 9), CountPerImage = (6, 12), Seed = 31 });
        var options = new AdGanTrainerOptions();
        options.CropSize = crop;
        options.BaseChannels = ngf;
        options.BatchSize = batch;
        options.Iterations = (iterations + 1) / 2;
        options.DecayIterations = iterations / 2;
        options.Masks.SemiAxis = (crop / 10 + 2, crop / 6 + 3);
        options.Masks.CountPerPatch = (1, 4);
        options.Threads = threads;
        options.MetricsEvery = every;
        var rows = new List<(int Iteration, double Rss, double Heap, long Tensors)>();
        Console.WriteLine(Invariant($"bench memory: {iterations} iterations, crop {crop}, ngf {ngf}, batch {batch}, {threads} threads; a row every {every}"));
        Console.WriteLine("  iteration   RSS MiB   managed heap MiB   live tensors (training thread)");
        options.MetricsCallback = m =>
        {
            var row = (Iteration: m.Iteration, Rss: ProcessMemory.ResidentMiB(), Heap: GC.GetTotalMemory(false) / 1048576.0, Tensors: DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            rows.Add(row);
            Console.WriteLine(Invariant($"  {row.Iteration,9} {row.Rss,9:F1} {row.Heap,18:F1} {row.Tensors,16}"));
        };
        var source = new InMemoryImageSource(Enumerable.Range(0, 4).Select(i => simulator.Simulate(i).Image), options.Normalization, 1.0);
        using (var trainer = new AdGanTrainer(options, source))
        using (trainer.Train())
        {
        }
        if (rows.Count >= 3)
        {
            var second = rows[1];
            var last = rows[^1];
            Console.WriteLine(Invariant($"  from iteration {second.Iteration} to {last.Iteration}: RSS {last.Rss - second.Rss:+0.0;-0.0} MiB, managed heap {last.Heap - second.Heap:+0.0;-0.0} MiB, live tensors {last.Tensors - second.Tensors:+0;-0}"));
        }
        return 0;
    }

    private static double Rel(double value, double reference) => Math.Abs(value - reference) / Math.Max(Math.Abs(reference), 1e-12);

    private static Dictionary<string, float[]> Snapshot(AdGanNetworks networks) =>
        networks.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().contiguous().data<float>().ToArray());

    /// <summary>Peak resident set size of this process (VmHWM of /proc/self/status) in MiB; NaN where unavailable.</summary>
    internal static double PeakWorkingSetMiB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return double.NaN;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
