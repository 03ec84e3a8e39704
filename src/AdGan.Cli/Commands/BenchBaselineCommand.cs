using System.CommandLine;
using System.Globalization;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Tools.Benchmarks;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench baseline`: the classical threshold baseline on a folder laid out as S-BSST265, per group, as the mean over
/// jitter seeds; without --scale, every row of the anchor table beside its expected figures.
/// </summary>
internal static class BenchBaselineCommand
{
    public static Command Create()
    {
        var defaults = new ThresholdSegmentationOptions();
        var data = new Option<string>("--data") { Description = "Folder with images/, masks/ and image_description.csv.", Required = true };
        var scale = new Option<double?>("--scale") { Description = "Working scale (images bilinear, masks nearest); without it every anchor row runs at its own scale and diameter." };
        var minDiameter = new Option<double>("--min-diameter") { Description = "Smallest nucleus diameter in pixels at the working scale (with --scale).", DefaultValueFactory = _ => defaults.MinDiameter };
        var group = new Option<string?>("--group") { Description = "Only the groups matching this filter, e.g. \"HaCaT cytospin\" (with --scale)." };
        var seeds = new Option<string>("--seeds") { Description = "Jitter seeds, comma-separated; the figures are their means.", DefaultValueFactory = _ => string.Join(",", BaselineBenchmark.DefaultSeeds) };
        var jitter = new Option<double>("--jitter") { Description = "Largest jitter added to the distance transform inside the foreground (0: none).", DefaultValueFactory = _ => defaults.DistanceJitter };
        var spacing = new Option<int>("--peak-spacing") { Description = "Minimum distance between markers and from the image border in pixels (0: the marker radius).", DefaultValueFactory = _ => defaults.PeakSpacing ?? 0 };
        var method = new Option<ThresholdMethod>("--method") { Description = "Threshold method: Otsu or Li.", DefaultValueFactory = _ => defaults.Method };
        var command = new Command("baseline", "Score the classical threshold baseline per image group against the instance masks (mean over jitter seeds); without --scale, the whole anchor table beside its expected figures.")
        {
            data, scale, minDiameter, group, seeds, jitter, spacing, method,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                int peakSpacing = parseResult.GetValue(spacing);
                if (peakSpacing < 0)
                    throw new ArgumentException($"--peak-spacing must not be negative, not {peakSpacing}.");
                var options = new ThresholdSegmentationOptions
                {
                    DistanceJitter = parseResult.GetValue(jitter),
                    Method = parseResult.GetValue(method),
                    PeakSpacing = peakSpacing == 0 ? null : peakSpacing,
                };
                _ = new ThresholdSegmentation(options); // validates
                var seedList = ParseSeeds(parseResult.GetValue(seeds)!);
                string folder = parseResult.GetValue(data)!;
                if (parseResult.GetValue(scale) is double s)
                {
                    if (!(s > 0 && s <= 16))
                        throw new ArgumentException($"--scale must lie in (0, 16], not {s.ToString(CultureInfo.InvariantCulture)}.");
                    BaselineBenchmark.Run(folder, s, parseResult.GetValue(minDiameter), Console.Out, options, parseResult.GetValue(group), seeds: seedList);
                }
                else
                {
                    if (parseResult.GetValue(group) is not null)
                        throw new ArgumentException("--group is used with --scale only (the anchor table names its own groups).");
                    BaselineBenchmark.RunReferenceTable(folder, Console.Out, options, seedList);
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Parses "0,1,2" into non-negative seeds.</summary>
    internal static IReadOnlyList<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var list = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) || seed < 0)
                throw new ArgumentException($"--seeds expects non-negative integers separated by commas, got '{text}'.");
            list.Add(seed);
        }

        if (list.Count == 0)
            throw new ArgumentException("--seeds needs at least one seed.");
        return list;
    }
}
