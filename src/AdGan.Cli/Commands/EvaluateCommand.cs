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
                return Evaluate(parseResult.GetValue(pred)!, parseResult.GetValue(truth)!, parseResult.GetValue(json), parseResult.GetValue(perImage), Console.Out).ExitCode;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Runs the evaluation: prints a table, optionally writes JSON and per-image CSV; returns the metrics of the images scored.</summary>
    public static SegmentationMetrics Run(string predDir, string truthDir, string? jsonPath, string? csvPath, TextWriter output)
        => Evaluate(predDir, truthDir, jsonPath, csvPath, output).Metrics;

    /// <summary>
    /// Scores every prediction that has a readable truth of the same file name and reports the rest (a file without its partner,
    /// an unreadable or mismatched pair) in the table and the JSON; the exit code is 3 when some images were not scored.
    /// Throws <see cref="InvalidDataException"/> when none could be scored.
    /// </summary>
    internal static (SegmentationMetrics Metrics, BatchResult Batch, int ExitCode) Evaluate(string predDir, string truthDir, string? jsonPath, string? csvPath, TextWriter output)
    {
        if (!Directory.Exists(predDir))
            throw new DirectoryNotFoundException($"Prediction folder '{predDir}' does not exist.");
        if (!Directory.Exists(truthDir))
            throw new DirectoryNotFoundException($"Truth folder '{truthDir}' does not exist.");
        var predFiles = LabelFiles(predDir);
        if (predFiles.Count == 0)
            throw new FileNotFoundException($"No label map (.png, .tif, .tiff) in '{predDir}'.");
        var unpaired = new List<(string File, string Reason)>();
        foreach (var t in LabelFiles(truthDir))
            if (!File.Exists(Path.Combine(predDir, Path.GetFileName(t))))
                unpaired.Add((t, $"no prediction '{Path.Combine(predDir, Path.GetFileName(t))}'"));
        var evaluator = new SegmentationEvaluator();
        var rows = new List<ImageSegmentationMetrics>();
        var progress = ConsoleProgress.For(output);
        progress.Start("evaluate", predFiles.Count);
        var scored = BatchRunner.Run(predFiles, p =>
        {
            string t = Path.Combine(truthDir, Path.GetFileName(p));
            if (!File.Exists(t))
                throw new FileNotFoundException($"no truth '{t}'");
            rows.Add(evaluator.EvaluateImage(LabelMaps.Read(t), LabelMaps.Read(p), Path.GetFileNameWithoutExtension(p)));
            progress.Advance(Path.GetFileName(p));
        }, TextWriter.Null, BatchErrorPolicy.Continue);
        progress.Done();
        var batch = new BatchResult(predFiles.Count + unpaired.Count, scored.Failed.Concat(unpaired).ToList());
        if (rows.Count == 0)
            throw new InvalidDataException($"No image could be scored: {string.Join("; ", batch.Failed.Select(f => $"{Path.GetFileName(f.File)}: {f.Reason}"))}.");

        var m = SegmentationEvaluator.Combine(rows);
        output.WriteLine($"{"",-8} {"Dice",6} {"IoU",6} {"Prec",6} {"Recall",6} {"AJI",6} {"F1@.5",6} {"mF1",6} {"PQ",6} {"SEG",6}");
        output.WriteLine(Row("mean", m.Dice, m.IoU, m.Precision, m.Recall, m.AggregatedJaccardIndex, m.F1At50, m.MeanF1, m.PanopticQuality, m.CtcSeg));
        var q = m.Pooled;
        output.WriteLine(Row("pooled", q.Dice, q.IoU, q.Precision, q.Recall, q.AggregatedJaccardIndex, q.F1At50, q.MeanF1, q.PanopticQuality, q.CtcSeg));
        output.WriteLine(batch.Failed.Count == 0 ? $"{m.ImageCount} images" : $"{m.ImageCount} images scored, {batch.Failed.Count} not scored:");
        foreach (var (file, reason) in batch.Failed)
            output.WriteLine($"  {file}: {reason}");
        if (csvPath is not null)
        {
            CreateFolderOf(csvPath);
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
                NotScored = batch.Failed.Select(f => new { Image = f.File, f.Reason }).ToArray(),
                Mean = new { m.Dice, m.IoU, m.Precision, m.Recall, m.AggregatedJaccardIndex, m.ObjectPrecision, m.ObjectRecall, m.F1At50, m.MeanF1, m.PanopticQuality, m.SegmentationQuality, m.RecognitionQuality, m.CtcSeg },
                Pooled = Scores(m.Pooled),
            };
            CreateFolderOf(jsonPath);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
        }

        return (m, batch, batch.ExitCode);
    }

    private static void CreateFolderOf(string file) => Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);

    /// <summary>The label map files of a folder (PNG and TIFF), in ordinal order.</summary>
    internal static List<string> LabelFiles(string directory)
        => MicroscopyImageReader.ListFiles(directory).Where(f => LabelExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToList();

    private static readonly string[] LabelExtensions = { ".png", ".tif", ".tiff" };

    private static string Row(string name, params double[] values)
        => $"{name,-8} " + string.Join(' ', values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture).PadLeft(6)));
}
