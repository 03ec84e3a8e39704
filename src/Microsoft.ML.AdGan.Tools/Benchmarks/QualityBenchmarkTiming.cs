using System.Diagnostics;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>The speed figures of <see cref="QualityBenchmarkSpeed"/>: operation counts and network-only timings next to the decode rates measured on the images.</summary>
internal static class QualityBenchmarkTiming
{
    /// <summary>Side of the square image the networks are timed on alone (working-scale pixels).</summary>
    public const int ProbeSide = 512;

    private const int Repeats = 3;

    public static QualityBenchmarkSpeed Measure(AdGanSegmentationModel model, AdGanStudent student, double generatorDecodeRate, double studentDecodeRate)
    {
        double generatorBest = double.MaxValue, studentBest = double.MaxValue;
        using var seed = new Generator(1);
        using var two = 2.0.ToScalar();
        using (no_grad())
        using (var probe = rand(new long[] { 1, 1, ProbeSide, ProbeSide }, generator: seed).mul_(two).sub_(Scalars.One))
        {
            // Interleaved, so both networks meet the same load; the first round also warms both up.
            for (int r = 0; r <= Repeats; r++)
            {
                double g = Time(() => model.Networks.Segment(probe).Dispose());
                double s = Time(() => student.Segment(probe).Dispose());
                if (r == 0)
                    continue;
                generatorBest = Math.Min(generatorBest, g);
                studentBest = Math.Min(studentBest, s);
            }
        }
        double megapixels = (double)ProbeSide * ProbeSide / 1e6;
        return new QualityBenchmarkSpeed(GeneratorCost.MultiplyAddsPerInputPixel(model.Networks), MultiplyAdds.PerInputPixel(student.Network),
            generatorDecodeRate, studentDecodeRate, ProbeSide, megapixels / generatorBest, megapixels / studentBest, torch.get_num_threads());
    }

    private static double Time(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalSeconds;
    }
}
