using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Tools.Datasets;
using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// Runs <see cref="ThresholdSegmentation"/> on a folder laid out as S-BSST265 (images/*.png, masks/*.png,
/// image_description.csv) and scores it per group (Diagnosis | Preparation), once per jitter seed, reporting the mean over seeds.
/// </summary>
public static class BaselineBenchmark
{
    private static readonly MicroscopyReadOptions FirstChannel = new() { Channel = 0 };

    /// <summary>The jitter seeds the headline figures average over: 0 to 4.</summary>
    public static IReadOnlyList<int> DefaultSeeds { get; } = new[] { 0, 1, 2, 3, 4 };

    /// <summary>
    /// The anchor figures of the baseline: the reference Python implementation of the same pipeline (jitter seed 0) on
    /// S-BSST265's training split, mean over images, per group, working scale and minimum diameter.
    /// </summary>
    public static IReadOnlyList<BaselineReferenceRow> ReferenceTable { get; } = new BaselineReferenceRow[]
    {
        new("HaCaT cytospin", 0.16, 8, 0.942, 0.804, 0.900),
        new("HaCaT grown", 0.16, 8, 0.960, 0.763, 0.883),
        new("HaCaT cytospin", 1.0, 10, 0.957, 0.823, 0.867),
        new("HaCaT grown", 1.0, 10, 0.970, 0.737, 0.720),
        new("Neuroblastoma BM cytospin", 1.0, 10, 0.882, 0.584, 0.688),
        new("Ganglioneuroblastoma tissue", 1.0, 10, 0.854, 0.585, 0.795),
        new("Neuroblastoma touch imprint", 1.0, 10, 0.830, 0.561, 0.571),
    };

    /// <summary>
    /// Segments every image at <paramref name="scale"/> (images bilinear with anti-aliasing, masks nearest) with the given
    /// minimum diameter, once per seed of <paramref name="seeds"/> (null: <see cref="DefaultSeeds"/>; one run when the jitter
    /// is off), prints a per-group table of the means over seeds to <paramref name="output"/> (null: console) and returns the
    /// groups. <paramref name="groupFilter"/> keeps only the groups that <see cref="ImageGroups.Matches"/> it (null: all).
    /// </summary>
    public static IReadOnlyDictionary<string, BaselineBenchmarkGroup> Run(string dataDir, double scale, double minDiameter, TextWriter? output = null,
        ThresholdSegmentationOptions? options = null, string? groupFilter = null, bool antiAlias = true, IReadOnlyList<int>? seeds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        output ??= Console.Out;
        var groups = ImageGroups.Read(Path.Combine(dataDir, "image_description.csv"), groupFilter);
        var opts = (options ?? new ThresholdSegmentationOptions()).Clone();
        opts.MinDiameter = minDiameter;
        var runSeeds = SeedsFor(opts, seeds);
        var segmenters = runSeeds.Select(s =>
        {
            var o = opts.Clone();
            o.JitterSeed = s;
            return new ThresholdSegmentation(o);
        }).ToList();
        var evaluator = new SegmentationEvaluator();
        var results = new Dictionary<string, BaselineBenchmarkGroup>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale {scale}, min diameter {minDiameter} px, {opts.Method}, distance jitter {opts.DistanceJitter:G3}, peak spacing {opts.PeakSpacing?.ToString(CultureInfo.InvariantCulture) ?? "marker radius"}, seeds {string.Join(",", runSeeds)} (means over seeds)"));
        output.WriteLine($"{"group",-55} {"n",3} {"Dice",6} {"AJI",6} {"F1@.5",6} {"mF1",6} {"PQ",6} {"SEG",6}  {"AJI range",13} {"F1 range",13}");
        foreach (var (group, names) in groups)
        {
            var inputs = names.AsParallel().AsOrdered().Select(name => Read(dataDir, name, scale, antiAlias)).ToList();
            var perSeed = segmenters.Select(segmenter => SegmentationEvaluator.Combine(inputs.AsParallel().AsOrdered()
                .Select(x => evaluator.EvaluateImage(x.Truth, segmenter.Segment(x.Image), x.Name)).ToList())).ToList();
            var g = new BaselineBenchmarkGroup(group, runSeeds, perSeed);
            results[group] = g;
            var (ajiMin, ajiMax) = g.Range(m => m.AggregatedJaccardIndex);
            var (f1Min, f1Max) = g.Range(m => m.F1At50);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group,-55} {g.ImageCount,3} {g.Dice,6:F3} {g.AggregatedJaccardIndex,6:F3} {g.F1At50,6:F3} {g.Mean(m => m.MeanF1),6:F3} {g.Mean(m => m.PanopticQuality),6:F3} {g.Mean(m => m.CtcSeg),6:F3}  {ajiMin,6:F3}-{ajiMax,6:F3} {f1Min,6:F3}-{f1Max,6:F3}"));
        }

        return results;
    }

    /// <summary>
    /// Runs every row of <see cref="ReferenceTable"/> and prints ours (mean over seeds) beside the reference as a Markdown table,
    /// a star marking a figure more than <paramref name="tolerance"/> away; returns the pairs in table order.
    /// </summary>
    public static IReadOnlyList<(BaselineReferenceRow Reference, BaselineBenchmarkGroup Ours)> RunReferenceTable(string dataDir, TextWriter? output = null,
        ThresholdSegmentationOptions? options = null, IReadOnlyList<int>? seeds = null, double tolerance = 0.02)
    {
        output ??= Console.Out;
        var pairs = new List<(BaselineReferenceRow, BaselineBenchmarkGroup)>();
        foreach (var row in ReferenceTable)
        {
            var groups = Run(dataDir, row.Scale, row.MinDiameter, output, options, row.GroupFilter, seeds: seeds);
            if (groups.Count != 1)
                throw new InvalidOperationException($"Reference group '{row.GroupFilter}' matches {groups.Count} groups of '{dataDir}'.");
            pairs.Add((row, groups.Values.Single()));
        }

        var ci = CultureInfo.InvariantCulture;
        int outside = 0;
        string Cell(double ours, double reference)
        {
            bool off = Math.Abs(ours - reference) > tolerance;
            outside += off ? 1 : 0;
            return string.Create(ci, $"{ours:F3}{(off ? "*" : "")}");
        }

        output.WriteLine();
        output.WriteLine("| group (scale, min diameter) | n | ours Dice / AJI / F1@0.5 | reference | AJI range over seeds | F1@0.5 range |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (r, g) in pairs)
        {
            var (ajiMin, ajiMax) = g.Range(m => m.AggregatedJaccardIndex);
            var (f1Min, f1Max) = g.Range(m => m.F1At50);
            output.WriteLine(string.Create(ci,
                $"| {r.GroupFilter} ({r.Scale:G3}, {r.MinDiameter:G3} px) | {g.ImageCount} | {Cell(g.Dice, r.Dice)} / {Cell(g.AggregatedJaccardIndex, r.AggregatedJaccardIndex)} / {Cell(g.F1At50, r.F1At50)} | {r.Dice:F3} / {r.AggregatedJaccardIndex:F3} / {r.F1At50:F3} | {ajiMin:F3}-{ajiMax:F3} | {f1Min:F3}-{f1Max:F3} |"));
        }

        output.WriteLine(string.Create(ci, $"{3 * pairs.Count - outside} of {3 * pairs.Count} figures within +-{tolerance:G3} of the reference (* outside)."));
        return pairs;
    }

    private static IReadOnlyList<int> SeedsFor(ThresholdSegmentationOptions options, IReadOnlyList<int>? seeds)
    {
        if (options.DistanceJitter == 0)
            return new[] { options.JitterSeed }; // without jitter every seed gives the same labels
        var list = (seeds ?? DefaultSeeds).ToList();
        if (list.Count == 0)
            throw new ArgumentException("At least one jitter seed is needed.", nameof(seeds));
        return list;
    }

    private static (string Name, ImageBuffer<float> Image, ImageBuffer<uint> Truth) Read(string dataDir, string name, double scale, bool antiAlias)
    {
        var image = MicroscopyImageReader.Read(Path.Combine(dataDir, "images", name + ".png"), FirstChannel);
        var truth = LabelMaps.Read(Path.Combine(dataDir, "masks", name + ".png"));
        if (scale != 1.0)
        {
            image = ImageResampler.Rescale(image, scale, antiAlias);
            truth = ImageResampler.RescaleNearest(truth, scale);
        }

        return (name, image, truth);
    }
}
