using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;

namespace AdGan.Cli.Commands;

/// <summary>`adgan evaluate`: scores predicted label maps against truth label maps matched by file name.</summary>
public static class EvaluateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "Folder of predicted label maps (16-bit PNG, or TIFF for volumes).", Required = true };
        var truth = new Option<string>("--truth") { Description = "Folder of truth label maps (16-bit PNG, or TIFF for volumes), same file names.", Required = true };
        var json = new Option<string?>("--json") { Description = "Write the dataset metrics (mean and pooled) as JSON to this file." };
        var perImage = new Option<string?>("--per-image") { Description = "Write one CSV row of scores per image to this file." };
        var command = new Command("evaluate", "Score predicted instance label maps against truth: Dice, IoU, AJI, object F1, PQ, CTC SEG.");
        command.Options.Add(pred);
        command.Options.Add(truth);
        command.Options.Add(json);
        command.Options.Add(perImage);
        command.SetAction(parseResult =>
        {
            try
            {
                var metrics = Run(parseResult.GetValue(pred)!, parseResult.GetValue(truth)!, parseResult.GetValue(json), parseResult.GetValue(perImage), Console.Out);
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Runs the evaluation: prints a table, optionally writes JSON and per-image CSV.</summary>
    public static SegmentationMetrics Run(string predDir, string truthDir, string? jsonPath, string? csvPath, TextWriter output)
    {
        if (!Directory.Exists(predDir))
            throw new DirectoryNotFoundException($"Prediction folder '{predDir}' does not exist.");
        if (!Directory.Exists(truthDir))
            throw new DirectoryNotFoundException($"Truth folder '{truthDir}' does not exist.");
        var predFiles = LabelFiles(predDir);
        if (predFiles.Count == 0)
            throw new FileNotFoundException($"No label map (.png, .tif, .tiff) in '{predDir}'.");
        foreach (var t in LabelFiles(truthDir))
            if (!File.Exists(Path.Combine(predDir, Path.GetFileName(t))))
                throw new FileNotFoundException($"Truth '{t}' has no prediction '{Path.Combine(predDir, Path.GetFileName(t))}'.");
        var evaluator = new SegmentationEvaluator();
        var rows = new List<ImageSegmentationMetrics>();
        var progress = ConsoleProgress.For(output);
        progress.Start("evaluate", predFiles.Count);
        foreach (var p in predFiles)
        {
            string t = Path.Combine(truthDir, Path.GetFileName(p));
            if (!File.Exists(t))
                throw new FileNotFoundException($"Prediction '{p}' has no truth '{t}'.");
            rows.Add(evaluator.EvaluateImage(LabelMaps.Read(t), LabelMaps.Read(p), Path.GetFileNameWithoutExtension(p)));
            progress.Advance(Path.GetFileName(p));
        }

        progress.Done();

        var m = SegmentationEvaluator.Combine(rows);
        output.WriteLine($"{"",-8} {"Dice",6} {"IoU",6} {"Prec",6} {"Recall",6} {"AJI",6} {"F1@.5",6} {"mF1",6} {"PQ",6} {"SEG",6}");
        output.WriteLine(Row("mean", m.Dice, m.IoU, m.Precision, m.Recall, m.AggregatedJaccardIndex, m.F1At50, m.MeanF1, m.PanopticQuality, m.CtcSeg));
        var q = m.Pooled;
        output.WriteLine(Row("pooled", q.Dice, q.IoU, q.Precision, q.Recall, q.AggregatedJaccardIndex, q.F1At50, q.MeanF1, q.PanopticQuality, q.CtcSeg));
        output.WriteLine($"{m.ImageCount} images");
        if (csvPath is not null)
        {
            using var w = new StreamWriter(csvPath);
            w.WriteLine("image,dice,iou,precision,recall,aji,object_precision,object_recall,f1_50,mean_f1,pq,sq,rq,ctc_seg,truth_objects,predicted_objects");
            foreach (var r in m.PerImage)
                w.WriteLine(string.Join(',', new[] { r.Name.Contains(',') ? $"\"{r.Name}\"" : r.Name }.Concat(new[] { r.Dice, r.IoU, r.Precision, r.Recall, r.AggregatedJaccardIndex, r.ObjectPrecision, r.ObjectRecall, r.F1At50, r.MeanF1, r.PanopticQuality, r.SegmentationQuality, r.RecognitionQuality, r.CtcSeg }
                    .Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Concat(new[] { r.TruthObjectCount.ToString(CultureInfo.InvariantCulture), r.PredictedObjectCount.ToString(CultureInfo.InvariantCulture) })));
        }

        if (jsonPath is not null)
        {
            object Scores(SegmentationScores s) => new { s.Dice, s.IoU, s.Precision, s.Recall, s.AggregatedJaccardIndex, s.ObjectPrecision, s.ObjectRecall, s.F1At50, s.MeanF1, s.PanopticQuality, s.SegmentationQuality, s.RecognitionQuality, s.CtcSeg };
            var doc = new
            {
                m.ImageCount,
                Mean = new { m.Dice, m.IoU, m.Precision, m.Recall, m.AggregatedJaccardIndex, m.ObjectPrecision, m.ObjectRecall, m.F1At50, m.MeanF1, m.PanopticQuality, m.SegmentationQuality, m.RecognitionQuality, m.CtcSeg },
                Pooled = Scores(m.Pooled),
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
        }

        return m;
    }

    /// <summary>The label map files of a folder (PNG and TIFF), in ordinal order.</summary>
    internal static List<string> LabelFiles(string directory)
        => MicroscopyImageReader.ListFiles(directory).Where(f => LabelExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToList();

    private static readonly string[] LabelExtensions = { ".png", ".tif", ".tiff" };

    private static string Row(string name, params double[] values)
        => $"{name,-8} " + string.Join(' ', values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture).PadLeft(6)));
}
