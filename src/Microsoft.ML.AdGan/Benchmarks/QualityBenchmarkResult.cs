using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Benchmarks;

/// <summary>Outcome of <see cref="QualityBenchmark"/>: the baseline's and every seed's scores on the same images, with the settings used.</summary>
public sealed class QualityBenchmarkResult
{
    /// <summary>The four headline metrics of the report, in column order.</summary>
    public static readonly IReadOnlyList<(string Name, Func<SegmentationMetrics, double> Value)> Headline = new (string, Func<SegmentationMetrics, double>)[]
    {
        ("Dice", m => m.Dice),
        ("AJI", m => m.AggregatedJaccardIndex),
        ("F1@0.5", m => m.F1At50),
        ("PQ", m => m.PanopticQuality),
    };

    internal QualityBenchmarkResult(string selection, IReadOnlyList<string> imageNames, string settings, string baselineSettings,
        SegmentationMetrics baseline, IReadOnlyList<QualityBenchmarkRun> runs)
    {
        Selection = selection;
        ImageNames = imageNames;
        Settings = settings;
        BaselineSettings = baselineSettings;
        Baseline = baseline;
        Runs = runs;
    }

    /// <summary>What was benchmarked (group name or folder).</summary>
    public string Selection { get; }

    /// <summary>File name stems of the images, in scoring order.</summary>
    public IReadOnlyList<string> ImageNames { get; }

    /// <summary>The AD-GAN settings in one line (sizes, scale, priors, levers).</summary>
    public string Settings { get; }

    /// <summary>The baseline settings in one line.</summary>
    public string BaselineSettings { get; }

    /// <summary>The classical baseline's scores (means over images).</summary>
    public SegmentationMetrics Baseline { get; }

    /// <summary>One entry per seed.</summary>
    public IReadOnlyList<QualityBenchmarkRun> Runs { get; }

    /// <summary>Mean over seeds of a metric of the AD-GAN runs.</summary>
    public double Mean(Func<SegmentationMetrics, double> metric) => Runs.Average(r => metric(r.Metrics));

    /// <summary>Sample standard deviation over seeds of a metric (0 with one seed).</summary>
    public double Spread(Func<SegmentationMetrics, double> metric)
    {
        if (Runs.Count < 2)
            return 0;
        double mean = Mean(metric);
        return Math.Sqrt(Runs.Sum(r => Math.Pow(metric(r.Metrics) - mean, 2)) / (Runs.Count - 1));
    }

    /// <summary>The student decodings every run scored (empty when a run had no student).</summary>
    public IReadOnlyList<PostProcessing.StudentDecoding> StudentDecodings()
        => Runs.Count == 0 ? Array.Empty<PostProcessing.StudentDecoding>()
            : Runs.Select(r => r.Students.Select(s => s.Decoding)).Aggregate((a, b) => a.Intersect(b)).ToList();

    /// <summary>Mean over seeds of a metric of the student with <paramref name="decoding"/> (every run must have scored it).</summary>
    public double StudentMean(PostProcessing.StudentDecoding decoding, Func<SegmentationMetrics, double> metric)
        => Runs.Average(r => metric(r.Students.First(s => s.Decoding == decoding).Metrics));

    /// <summary>Sample standard deviation over seeds of a metric of the student with <paramref name="decoding"/> (0 with one seed).</summary>
    public double StudentSpread(PostProcessing.StudentDecoding decoding, Func<SegmentationMetrics, double> metric)
    {
        if (Runs.Count < 2)
            return 0;
        double mean = StudentMean(decoding, metric);
        return Math.Sqrt(Runs.Sum(r => Math.Pow(metric(r.Students.First(s => s.Decoding == decoding).Metrics) - mean, 2)) / (Runs.Count - 1));
    }

    /// <summary>A Markdown table (baseline, each seed, and with several seeds the mean +- standard deviation) under two lines of settings.</summary>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(ci, $"{Selection}: {ImageNames.Count} images, scored at full size against the truth (means over images)."));
        sb.AppendLine("AD-GAN: " + Settings);
        sb.AppendLine("baseline: " + BaselineSettings);
        sb.AppendLine();
        sb.AppendLine("| method | seed | iterations | train min | " + string.Join(" | ", Headline.Select(h => h.Name)) + " |");
        sb.AppendLine("|---|---|---|---|" + string.Concat(Headline.Select(_ => "---|")));
        sb.AppendLine("| threshold baseline | - | - | - | " + string.Join(" | ", Headline.Select(h => h.Value(Baseline).ToString("F3", ci))) + " |");
        foreach (var run in Runs)
        {
            sb.AppendLine(string.Create(ci, $"| AD-GAN | {run.Seed} | {run.Iterations} / {run.PlannedIterations} | {run.TrainingMinutes:F1} | ") +
                string.Join(" | ", Headline.Select(h => h.Value(run.Metrics).ToString("F3", ci))) + " |");
            foreach (var row in run.Students)
                sb.AppendLine(string.Create(ci, $"| student, {row.Decoding} decoding | {run.Seed} | - | {(run.StudentMinutes is double m ? m.ToString("F1", ci) : "in AD-GAN's")} | ") +
                    string.Join(" | ", Headline.Select(h => h.Value(row.Metrics).ToString("F3", ci))) + " |");
        }
        if (Runs.Count > 1)
        {
            sb.AppendLine(string.Create(ci, $"| AD-GAN mean +- sd | {Runs.Count} seeds | {Runs.Average(r => r.Iterations):F0} | {Runs.Average(r => r.TrainingMinutes):F1} | ") +
                string.Join(" | ", Headline.Select(h => string.Create(ci, $"{Mean(h.Value):F3} +- {Spread(h.Value):F3}"))) + " |");
            foreach (var decoding in StudentDecodings())
                sb.AppendLine(string.Create(ci, $"| student, {decoding} decoding, mean +- sd | {Runs.Count} seeds | - | - | ") +
                    string.Join(" | ", Headline.Select(h => string.Create(ci, $"{StudentMean(decoding, h.Value):F3} +- {StudentSpread(decoding, h.Value):F3}"))) + " |");
        }
        foreach (var run in Runs.Where(r => r.Speed is not null))
            sb.AppendLine(string.Create(ci, $"seed {run.Seed} speed: {run.Speed}"));
        return sb.ToString();
    }

    /// <summary>The result as indented JSON: settings, image names, baseline and per-seed metrics (headline and pooled), means and spreads.</summary>
    public string ToJson()
    {
        static Dictionary<string, double> Scores(SegmentationMetrics m) => new()
        {
            ["dice"] = m.Dice,
            ["iou"] = m.IoU,
            ["precision"] = m.Precision,
            ["recall"] = m.Recall,
            ["aji"] = m.AggregatedJaccardIndex,
            ["f1_50"] = m.F1At50,
            ["mean_f1"] = m.MeanF1,
            ["pq"] = m.PanopticQuality,
            ["ctc_seg"] = m.CtcSeg,
            ["pooled_dice"] = m.Pooled.Dice,
            ["pooled_aji"] = m.Pooled.AggregatedJaccardIndex,
        };
        var document = new Dictionary<string, object>
        {
            ["selection"] = Selection,
            ["images"] = ImageNames,
            ["adgan_settings"] = Settings,
            ["baseline_settings"] = BaselineSettings,
            ["baseline"] = Scores(Baseline),
            ["runs"] = Runs.Select(r => new Dictionary<string, object>
            {
                ["seed"] = r.Seed,
                ["iterations"] = r.Iterations,
                ["planned_iterations"] = r.PlannedIterations,
                ["training_minutes"] = Math.Round(r.TrainingMinutes, 3),
                ["metrics"] = Scores(r.Metrics),
                ["student_minutes"] = r.StudentMinutes is double m ? Math.Round(m, 3) : null!,
                ["students"] = r.Students.Select(st => new Dictionary<string, object> { ["decoding"] = st.Decoding.ToString(), ["metrics"] = Scores(st.Metrics) }).ToList(),
                ["speed"] = r.Speed is { } sp ? new Dictionary<string, double>
                {
                    ["generator_multiply_adds_per_pixel"] = sp.GeneratorMultiplyAdds,
                    ["student_multiply_adds_per_pixel"] = sp.StudentMultiplyAdds,
                    ["generator_decode_mp_per_s"] = sp.GeneratorDecodeRate,
                    ["student_decode_mp_per_s"] = sp.StudentDecodeRate,
                    ["probe_side"] = sp.ProbeSide,
                    ["generator_network_mp_per_s"] = sp.GeneratorNetworkRate,
                    ["student_network_mp_per_s"] = sp.StudentNetworkRate,
                    ["threads"] = sp.Threads,
                } : null!,
            }).ToList(),
            ["mean"] = Headline.ToDictionary(h => h.Name, h => Mean(h.Value)),
            ["sd"] = Headline.ToDictionary(h => h.Name, h => Spread(h.Value)),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }
}
