using System.Diagnostics;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>Measures how long the synthetic mask generator takes per patch (the CLI's <c>adgan bench masks</c>).</summary>
public static class SyntheticMaskBenchmark
{
    /// <summary>Times <paramref name="patches"/> patches of the given options after <paramref name="warmup"/> untimed ones, on one thread.</summary>
    public static SyntheticMaskBenchmarkResult Run(SyntheticMaskOptions options, int patches = 20, int warmup = 2)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (patches < 1)
            throw new ArgumentOutOfRangeException(nameof(patches), patches, "At least one patch must be timed.");
        if (warmup < 0)
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "Warm-up must not be negative.");
        var generator = new SyntheticMaskGenerator(options);
        for (int i = 0; i < warmup; i++)
            generator.Generate(patches + i);
        long accepted = 0;
        int stopped = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < patches; i++)
        {
            var patch = generator.Generate(i);
            accepted += patch.Ellipses.Count;
            stopped += patch.StoppedByRejections ? 1 : 0;
        }

        watch.Stop();
        return new SyntheticMaskBenchmarkResult(options.PatchShape, options.Coding, patches, watch.Elapsed.TotalMilliseconds / patches, (double)accepted / patches, stopped);
    }

    /// <summary>The standard set: a 256 x 256 HeLa-prior patch and a 64 x 128 x 128 volume (semi-axis [10, 18], 2 to 60 ellipsoids), each semantic and instance.</summary>
    public static IReadOnlyList<SyntheticMaskBenchmarkResult> RunStandard(int patches = 20, int seed = 10)
    {
        var results = new List<SyntheticMaskBenchmarkResult>();
        foreach (var coding in new[] { SyntheticMaskCoding.Semantic, SyntheticMaskCoding.ThreeLevel })
        {
            results.Add(Run(new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(256, 256), SemiAxis = (13, 18), CountPerPatch = (5, 40), Coding = coding, Seed = seed }, patches));
            results.Add(Run(new SyntheticMaskOptions { PatchShape = ImageShape.Of3D(64, 128, 128), SemiAxis = (10, 18), CountPerPatch = (2, 60), Coding = coding, Seed = seed }, Math.Max(1, patches / 4)));
        }

        return results;
    }
}
