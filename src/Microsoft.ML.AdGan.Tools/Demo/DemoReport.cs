using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tools.Demo;

/// <summary>Writes the demo's self-contained HTML report (PNGs referenced by relative paths beside it).</summary>
internal static class DemoReport
{
    /// <summary>Pictures and scores of one held-back image.</summary>
    public sealed record ImageRow(string Name, string Image, string Decoded, string AdGan, string Baseline, string Truth,
        ImageSegmentationMetrics AdGanScores, ImageSegmentationMetrics BaselineScores, int TruthCount,
        IReadOnlyList<(string Path, string Caption)>? VolumeViews = null);

    public static void Write(string path, DemoSettings settings, AdGanTrainerOptions options, DemoResult result,
        IReadOnlyList<ImageRow> rows, string lossPlot, string? translations)
    {
        var c = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        string F(double v) => v.ToString("F3", c);
        h.AppendLine("<!DOCTYPE html>");
        h.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AD-GAN demo report</title>");
        h.AppendLine("<style>body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f3f3f3}"
            + "td:first-child,th:first-child{text-align:left}.better{font-weight:bold}figure{display:inline-block;margin:4px;text-align:center}"
            + "figure img{width:240px;image-rendering:pixelated;border:1px solid #aaa}figcaption{font-size:0.85em}.note{color:#555;font-size:0.9em}"
            + "img.plot{max-width:100%;border:1px solid #ddd}</style></head><body>");
        h.AppendLine("<h1>AD-GAN unsupervised nuclei segmentation: demo report</h1>");
        h.AppendLine($"<p>Generated {E(DateTime.Now.ToString("yyyy-MM-dd HH:mm", c))}. AD-GAN was trained on {settings.TrainImages} simulated images "
            + $"<em>without</em> their labels, then segmented {settings.TestImages} held-back images; both AD-GAN and the classical baseline "
            + "(Otsu threshold + distance-transform watershed) are scored against the simulation's ground truth.</p>");

        h.AppendLine("<h2>Scores on the held-back images</h2>");
        h.AppendLine("<table><tr><th>method</th><th>Dice</th><th>AJI</th><th>F1@0.5</th><th>PQ</th><th>IoU</th><th>precision</th><th>recall</th></tr>");
        void MetricRow(string name, SegmentationMetrics m, SegmentationMetrics other)
        {
            string Cell(double v, double o) => $"<td{(v > o ? " class=\"better\"" : "")}>{F(v)}</td>";
            h.AppendLine($"<tr><td>{E(name)}</td>{Cell(m.Dice, other.Dice)}{Cell(m.AggregatedJaccardIndex, other.AggregatedJaccardIndex)}"
                + $"{Cell(m.F1At50, other.F1At50)}{Cell(m.PanopticQuality, other.PanopticQuality)}{Cell(m.IoU, other.IoU)}"
                + $"{Cell(m.Precision, other.Precision)}{Cell(m.Recall, other.Recall)}</tr>");
        }
        MetricRow("AD-GAN (unsupervised)", result.AdGan, result.Baseline);
        MetricRow($"baseline (threshold, min diameter {result.BaselineMinDiameter.ToString("F1", c)} px)", result.Baseline, result.AdGan);
        h.AppendLine("</table>");
        h.AppendLine("<p class=\"note\">Means over images. Dice/IoU/precision/recall are pixel scores of the foreground; AJI is the aggregated Jaccard index; "
            + "F1@0.5 matches objects at IoU &gt; 0.5; PQ is panoptic quality. Bold: the better of the two.</p>");

        h.AppendLine("<h2>Held-back images</h2>");
        h.AppendLine("<p class=\"note\">Contours: <span style=\"color:#e62828\">red</span> AD-GAN, <span style=\"color:#b89a00\">yellow</span> baseline, "
            + "<span style=\"color:#28b446\">green</span> ground truth. The decoded map is the network's output (black background, grey ring, white core).</p>");
        foreach (var r in rows)
        {
            h.AppendLine($"<h3>{E(r.Name)}</h3><p class=\"note\">{r.TruthCount} nuclei simulated; AD-GAN found {r.AdGanScores.PredictedObjectCount} "
                + $"(AJI {F(r.AdGanScores.AggregatedJaccardIndex)}, F1@0.5 {F(r.AdGanScores.F1At50)}), baseline {r.BaselineScores.PredictedObjectCount} "
                + $"(AJI {F(r.BaselineScores.AggregatedJaccardIndex)}, F1@0.5 {F(r.BaselineScores.F1At50)}).</p><div>");
            string middle = settings.Is3D ? " (middle slice)" : "";
            var figures = new[] { (r.Image, "image" + middle), (r.Decoded, "AD-GAN decoded map" + middle), (r.AdGan, "AD-GAN instances" + middle), (r.Baseline, "baseline instances" + middle), (r.Truth, "ground truth" + middle) }
                .Concat(r.VolumeViews ?? Array.Empty<(string, string)>());
            foreach (var (src, caption) in figures)
                h.AppendLine($"<figure><a href=\"{E(Url(src))}\"><img src=\"{E(Url(src))}\" alt=\"{E(r.Name + " " + caption)}\"></a><figcaption>{E(caption)}</figcaption></figure>");
            h.AppendLine("</div>");
        }

        h.AppendLine("<h2>Training</h2>");
        h.AppendLine($"<img class=\"plot\" src=\"{E(Url(lossPlot))}\" alt=\"loss curves\">");
        if (translations is not null)
        {
            h.AppendLine("<p>Sample translations at the end of training (top: a training crop, its reconstruction, its segmentation and the cycle back; "
                + $"bottom: a synthetic mask, its reconstruction, the fake image made from it and the cycle back). Earlier snapshots are in <code>training/</code>.</p>");
            h.AppendLine($"<img class=\"plot\" src=\"{E(Url(translations))}\" alt=\"sample translations\">");
        }

        h.AppendLine("<h2>Settings and timings</h2><table>");
        void Row(string k, string v) => h.AppendLine($"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>");
        Row("images", settings.Is3D
            ? $"{settings.TrainImages} training + {settings.TestImages} held-back volumes, {settings.Depth}x{settings.ImageSize}x{settings.ImageSize} voxels of {(settings.ZStep * settings.PixelSize).ToString("0.###", c)} x {settings.PixelSize.ToString("0.###", c)} x {settings.PixelSize.ToString("0.###", c)} um (resampled to {settings.SimulatedDepth}x{settings.ImageSize}x{settings.ImageSize} cubic voxels), seed {settings.Seed}"
            : $"{settings.TrainImages} training + {settings.TestImages} held back, {settings.ImageSize}x{settings.ImageSize} px, seed {settings.Seed}");
        Row("simulated nuclei", $"semi-axis {settings.SemiAxis.Min}-{settings.SemiAxis.Max} px, {settings.CountPerImage.Min}-{settings.CountPerImage.Max} per image");
        Row("synthetic masks", $"semi-axis {options.Masks.SemiAxis.Min}-{options.Masks.SemiAxis.Max - 1} px, {options.Masks.CountPerPatch.Min}-{options.Masks.CountPerPatch.Max} per crop, {options.Masks.Coding} coding");
        Row("network", $"ngf {options.BaseChannels}, style MLP width {options.StyleMlpWidth}, crop {(options.Dimensions == 3 ? $"{options.CropDepth}x{options.CropSize}x{options.CropSize}" : options.CropSize.ToString(c))}, batch {options.BatchSize}");
        Row("speed", $"{result.SecondsPerIteration.ToString("F2", c)} s per training iteration; inference {result.AdGanSecondsPerImage.ToString("F2", c)} s (AD-GAN) and {result.BaselineSecondsPerImage.ToString("F2", c)} s (baseline) per {(settings.Is3D ? "volume" : "image")}");
        Row("iterations", $"{result.IterationsDone} of {result.IterationsPlanned}" + (result.Plan is { } plan
            ? $" ({plan.ConstantIterations} constant + {plan.DecayIterations} decaying, planned for a {plan.Budget.TotalMinutes.ToString("0.##", c)}-minute budget at {plan.SecondsPerIteration.ToString("0.###", c)} s/iteration)"
            : " (fixed)"));
        Row("torch threads", options.Threads?.ToString(c) ?? $"process default ({TorchSharp.torch.get_num_threads()})");
        foreach (var (stage, time) in result.Timings)
            Row($"time: {stage}", $"{time.TotalSeconds.ToString("F1", c)} s");
        Row("time: total", $"{result.Total.TotalMinutes.ToString("F2", c)} min");
        Row("model", Path.GetFileName(result.ModelPath));
        h.AppendLine("</table>");
        h.AppendLine("<p class=\"note\">Reproduce the segmentation with <code>adgan segment --model model.zip --images data/images --out seg --overlay</code> and "
            + "score it with <code>adgan evaluate --pred seg --truth data/labels</code>.</p>");
        h.AppendLine("</body></html>");
        try
        {
            File.WriteAllText(path, h.ToString(), new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Could not write the report '{path}': {e.Message}", e);
        }
    }

    private static string Url(string relative) => relative.Replace('\\', '/');
}
