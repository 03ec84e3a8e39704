using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

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
        IReadOnlyList<SegmentationMetrics> baselineRuns, IReadOnlyList<QualityBenchmarkRun> runs)
    {
        if (baselineRuns.Count == 0)
            throw new ArgumentException("The baseline needs at least one run.", nameof(baselineRuns));
        Selection = selection;
        ImageNames = imageNames;
        Settings = settings;
        BaselineSettings = baselineSettings;
        BaselineRuns = baselineRuns;
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

    /// <summary>The classical baseline's scores with its first jitter seed (means over images); the report gives <see cref="BaselineMean"/>.</summary>
    public SegmentationMetrics Baseline => BaselineRuns[0];

    /// <summary>The classical baseline's scores for each of its jitter seeds (means over images).</summary>
    public IReadOnlyList<SegmentationMetrics> BaselineRuns { get; }

    /// <summary>Recall of the dim nuclei of a simulated dim-beside-bright selection by the baseline (pooled over images and seeds); null otherwise.</summary>
    public DimNucleusScores? BaselineDimNuclei { get; init; }

    /// <summary>Mean over the baseline's jitter seeds of a metric.</summary>
    public double BaselineMean(Func<SegmentationMetrics, double> metric) => BaselineRuns.Average(metric);

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
        sb.AppendLine("| threshold baseline | - | - | - | " + string.Join(" | ", Headline.Select(h => BaselineMean(h.Value).ToString("F3", ci))) + " |");
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
        if (BaselineDimNuclei is { } baselineDim)
        {
            sb.AppendLine();
            sb.AppendLine(string.Create(ci, $"Dim nuclei (all but the bright ones; {baselineDim.Nuclei / BaselineRuns.Count} in all), pooled over images:"));
            sb.AppendLine();
            sb.AppendLine("| method | seed | pixel recall, all nuclei | pixel recall, dim nuclei | dim nuclei found (IoU > 0.5) |");
            sb.AppendLine("|---|---|---|---|---|");
            sb.AppendLine(string.Create(ci, $"| threshold baseline | - | {BaselineMean(m => m.Pooled.Recall):F3} | {baselineDim.PixelRecall:F3} | {baselineDim.ObjectRecall:F3} |"));
            foreach (var run in Runs.Where(r => r.DimNuclei is not null))
            {
                sb.AppendLine(string.Create(ci, $"| AD-GAN | {run.Seed} | {run.Metrics.Pooled.Recall:F3} | {run.DimNuclei!.PixelRecall:F3} | {run.DimNuclei.ObjectRecall:F3} |"));
                foreach (var row in run.Students.Where(s => s.DimNuclei is not null))
                    sb.AppendLine(string.Create(ci, $"| student, {row.Decoding} decoding | {run.Seed} | {row.Metrics.Pooled.Recall:F3} | {row.DimNuclei!.PixelRecall:F3} | {row.DimNuclei.ObjectRecall:F3} |"));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The result as indented JSON: settings, image names, the baseline's metrics (means over its jitter seeds, and per seed),
    /// per-seed AD-GAN metrics (headline and pooled), means and spreads; dim-nucleus recalls for a dim-beside-bright simulation.
    /// </summary>
    public string ToJson()
    {
        static Dictionary<string, double> Scores(SegmentationMetrics m, DimNucleusScores? dim) => WithDim(new()
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
        }, dim);
        static Dictionary<string, double> WithDim(Dictionary<string, double> scores, DimNucleusScores? dim)
        {
            if (dim is not null)
            {
                scores["dim_pixel_recall"] = dim.PixelRecall;
                scores["dim_object_recall"] = dim.ObjectRecall;
            }

            return scores;
        }

        var document = new Dictionary<string, object>
        {
            ["selection"] = Selection,
            ["images"] = ImageNames,
            ["adgan_settings"] = Settings,
            ["baseline_settings"] = BaselineSettings,
            ["baseline"] = WithDim(Scores(Baseline, null).Keys.ToDictionary(k => k, k => BaselineRuns.Average(m => Scores(m, null)[k])), BaselineDimNuclei),
            ["baseline_per_seed"] = BaselineRuns.Select(m => Scores(m, null)).ToList(),
            ["runs"] = Runs.Select(r => new Dictionary<string, object>
            {
                ["seed"] = r.Seed,
                ["iterations"] = r.Iterations,
                ["planned_iterations"] = r.PlannedIterations,
                ["training_minutes"] = Math.Round(r.TrainingMinutes, 3),
                ["metrics"] = Scores(r.Metrics, r.DimNuclei),
                ["student_minutes"] = r.StudentMinutes is double m ? Math.Round(m, 3) : null!,
                ["students"] = r.Students.Select(st => new Dictionary<string, object> { ["decoding"] = st.Decoding.ToString(), ["metrics"] = Scores(st.Metrics, st.DimNuclei) }).ToList(),
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
