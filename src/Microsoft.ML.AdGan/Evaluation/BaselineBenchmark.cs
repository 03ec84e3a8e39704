using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>
/// Runs <see cref="ThresholdSegmentation"/> on a folder laid out as S-BSST265 (images/*.png, masks/*.png,
/// image_description.csv) and scores it per group (Diagnosis | Preparation), as the reference's section 7 table.
/// </summary>
public static class BaselineBenchmark
{
    private static readonly MicroscopyReadOptions FirstChannel = new() { Channel = 0 };

    /// <summary>
    /// Segments every image at <paramref name="scale"/> (images bilinear with anti-aliasing, masks nearest) with the given
    /// minimum diameter, prints a per-group table to <paramref name="output"/> (null: console) and returns the metrics per group.
    /// <paramref name="groupFilter"/> keeps only the groups that <see cref="ImageGroups.Matches"/> it (null: all).
    /// </summary>
    public static IReadOnlyDictionary<string, SegmentationMetrics> Run(string dataDir, double scale, double minDiameter, TextWriter? output = null, ThresholdSegmentationOptions? options = null, string? groupFilter = null, bool antiAlias = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        output ??= Console.Out;
        var groups = ImageGroups.Read(Path.Combine(dataDir, "image_description.csv"), groupFilter);

        var opts = options ?? new ThresholdSegmentationOptions();
        opts.MinDiameter = minDiameter;
        var segmenter = new ThresholdSegmentation(opts);
        var evaluator = new SegmentationEvaluator();
        var results = new Dictionary<string, SegmentationMetrics>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale {scale}, min diameter {minDiameter} px, {opts.Method}"));
        output.WriteLine($"{"group",-55} {"n",3} {"Dice",6} {"AJI",6} {"F1@.5",6} {"mF1",6} {"PQ",6} {"SEG",6}");
        foreach (var (group, names) in groups)
        {
            var rows = names.AsParallel().AsOrdered().Select(name =>
            {
                var image = MicroscopyImageReader.Read(Path.Combine(dataDir, "images", name + ".png"), FirstChannel);
                var truth = LabelMaps.Read(Path.Combine(dataDir, "masks", name + ".png"));
                if (scale != 1.0)
                {
                    image = ImageResampler.Rescale(image, scale, antiAlias);
                    truth = ImageResampler.RescaleNearest(truth, scale);
                }

                return evaluator.EvaluateImage(truth, segmenter.Segment(image), name);
            }).ToList();
            var m = SegmentationEvaluator.Combine(rows);
            results[group] = m;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group,-55} {m.ImageCount,3} {m.Dice,6:F3} {m.AggregatedJaccardIndex,6:F3} {m.F1At50,6:F3} {m.MeanF1,6:F3} {m.PanopticQuality,6:F3} {m.CtcSeg,6:F3}"));
        }

        return results;
    }
}
