using System.Globalization;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Tools.Datasets;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// Checks <see cref="PriorEstimator"/> on a folder laid out as S-BSST265 (images/*.png, masks/*.png as 16-bit instance labels,
/// image_description.csv): per group (Diagnosis | Preparation) the priors are estimated from the group's images alone and
/// compared with the same semi-axis measure on the annotated objects that do not touch the border. A group passes when the
/// estimated median is within 20% of the annotated one and the recommended range is at most twice the annotated 10-90% span.
/// The masks are read for this comparison only; the estimator never sees them.
/// </summary>
public static class PriorsBenchmark
{
    /// <summary>Allowed relative error of the estimated median semi-axis.</summary>
    public const double MedianTolerance = 0.2;

    /// <summary>Allowed ratio of the recommended range width to the annotated 10-90% span.</summary>
    public const double MaxWidthRatio = 2.0;

    /// <summary>
    /// Runs the check, prints a table per group to <paramref name="output"/> (null: console) and returns the rows.
    /// <paramref name="groupFilter"/> keeps only the groups that <see cref="ImageGroups.Matches"/> it (null: all).
    /// </summary>
    public static IReadOnlyList<PriorsBenchmarkRow> Run(string dataDir, PriorEstimationOptions? options = null, TextWriter? output = null, string? groupFilter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        output ??= Console.Out;
        var estimator = new PriorEstimator(options);
        var opts = estimator.Options;
        var groups = ImageGroups.Read(Path.Combine(dataDir, "image_description.csv"), groupFilter);

        var ci = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ci, $"Priors check on '{dataDir}': semi-axis a = 2 sqrt(largest covariance eigenvalue), image pixels, objects touching the border excluded."));
        output.WriteLine(string.Create(ci, $"Estimator: {opts.Method}, blur {opts.BlurSigma}, analysis radius {opts.AnalysisRadius?.ToString(ci) ?? "none"}, marker spacing {opts.MarkerSpacing}, area {opts.MinRelativeArea}-{opts.MaxRelativeArea} x median, percentiles {opts.SemiAxisPercentiles.Low}-{opts.SemiAxisPercentiles.High}, patch {opts.PatchSize}."));
        output.WriteLine(string.Create(ci, $"Pass: |median error| <= {MedianTolerance:P0} and range width <= {MaxWidthRatio} x annotated p10-p90 span."));
        output.WriteLine($"{"group",-46} {"n",3} | {"ann obj",7} {"ann med",7} {"ann p10-p90",12} {"span",5} | {"est obj",7} {"est med",7} {"err",6} {"SemiAxis",10} {"width",5} {"ratio",5} | {"ann n/patch",11} {"CountPerPatch",13} | result");
        var rows = new List<PriorsBenchmarkRow>();
        foreach (var (group, names) in groups)
        {
            var items = names.AsParallel().AsOrdered().Select(name =>
            {
                string imagePath = Path.Combine(dataDir, "images", name + ".png");
                var image = MicroscopyImageReader.Read(imagePath);
                if (image.Shape.Is3D)
                    image = new ImageBuffer<float>(image.Data, ImageShape.Of2D(image.Shape.Height, image.Shape.Width));
                var measured = estimator.MeasureImage(image, imagePath);
                var truth = ObjectShapes.Measure(Evaluation.LabelMaps.Read(Path.Combine(dataDir, "masks", name + ".png")));
                return (measured, truth, image.Shape);
            }).ToList();
            var priors = estimator.Combine(items.Select(i => i.measured).ToList());
            var annotated = SemiAxisStatistics.From(items.SelectMany(i => i.truth.Where(s => !s.TouchesBorder).Select(s => s.SemiMajorAxis)), 10, 90);
            double window = opts.PatchSize / priors.ImageScale;
            var counts = Quantiles.Sorted(items.SelectMany(i =>
            {
                var t = i.truth;
                var m = new ImageNucleusMeasurement(name: "truth", i.Shape.Height, i.Shape.Width, 1, double.NaN, Array.Empty<double>(),
                    t.Select(s => s.CentroidY).ToArray(), t.Select(s => s.CentroidX).ToArray(), t.Select(_ => 1.0).ToArray(), 10, 90);
                return PriorEstimator.CountsPerPatch(m, window);
            }));
            var annotatedCounts = new CountStatistics(counts.Length, Quantiles.OfSorted(counts, 50), Quantiles.OfSorted(counts, opts.CountPercentiles.Low),
                Quantiles.OfSorted(counts, opts.CountPercentiles.High), opts.CountPercentiles.Low, opts.CountPercentiles.High);
            var row = new PriorsBenchmarkRow(group, names.Count, annotated, annotatedCounts, priors, MedianTolerance, MaxWidthRatio);
            rows.Add(row);
            string semi = string.Create(ci, $"[{priors.SemiAxis.Min},{priors.SemiAxis.Max})");
            string count = string.Create(ci, $"[{priors.CountPerPatch.Min},{priors.CountPerPatch.Max}]");
            output.WriteLine(string.Create(ci,
                $"{group,-46} {names.Count,3} | {annotated.Count,7} {annotated.Median,7:F1} {annotated.Low,5:F1}-{annotated.High,-6:F1} {row.AnnotatedSpan,5:F1} | {priors.ObjectsMeasured,7} {row.EstimatedMedian,7:F1} {row.MedianError,6:P0} {semi,10} {row.EstimatedWidth,5:F1} {row.WidthRatio,5:F2} | {annotatedCounts.Low,5:F0}-{annotatedCounts.High,-5:F0} {count,13} | {(row.Passed ? "pass" : "FAIL")}"));
        }

        return rows;
    }
}
