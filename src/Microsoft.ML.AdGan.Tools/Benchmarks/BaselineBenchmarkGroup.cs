using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>One group's scores in <see cref="BaselineBenchmark"/>: a run per jitter seed on the same images, and their means.</summary>
public sealed class BaselineBenchmarkGroup
{
    internal BaselineBenchmarkGroup(string group, IReadOnlyList<int> seeds, IReadOnlyList<SegmentationMetrics> perSeed)
    {
        if (seeds.Count == 0 || seeds.Count != perSeed.Count)
            throw new ArgumentException($"Group '{group}' needs one result per seed ({seeds.Count} seeds, {perSeed.Count} results).", nameof(perSeed));
        Group = group;
        Seeds = seeds;
        PerSeed = perSeed;
    }

    /// <summary>The group ("Diagnosis | Preparation").</summary>
    public string Group { get; }

    /// <summary>Number of images.</summary>
    public int ImageCount => PerSeed[0].ImageCount;

    /// <summary>The jitter seeds, in run order.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>The scores of each seed (means over images), in seed order.</summary>
    public IReadOnlyList<SegmentationMetrics> PerSeed { get; }

    /// <summary>Mean over seeds of pixel Dice.</summary>
    public double Dice => Mean(m => m.Dice);

    /// <summary>Mean over seeds of AJI.</summary>
    public double AggregatedJaccardIndex => Mean(m => m.AggregatedJaccardIndex);

    /// <summary>Mean over seeds of object F1 at IoU &gt; 0.5.</summary>
    public double F1At50 => Mean(m => m.F1At50);

    /// <summary>Mean over seeds of a metric.</summary>
    public double Mean(Func<SegmentationMetrics, double> metric) => PerSeed.Average(metric);

    /// <summary>Smallest and largest value of a metric over the seeds.</summary>
    public (double Min, double Max) Range(Func<SegmentationMetrics, double> metric) => (PerSeed.Min(metric), PerSeed.Max(metric));
}
