// dotnet run -- IMAGES [LABELS] [MINUTES]: trains AD-GAN on a folder of images (no labels needed), segments them into
// labelled nuclei, scores them when a folder of true label maps with the same file names is given, and saves the model.
using System.Globalization;
using Microsoft.ML;                     // MLContext; LoadMicroscopyImages, Nuclei() and EvaluateSegmentation extend it
using Microsoft.ML.AdGan.Estimators;    // AdGanSegmentationEstimator
using Microsoft.ML.AdGan.Priors;        // PriorEstimationOptions
using Microsoft.ML.Runtime;             // ChannelMessageKind

string images = args[0];
string? labels = args.Length > 1 ? args[1] : null;
double minutes = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;

var ml = new MLContext(seed: 1);
ml.Log += (_, e) =>
{
    if (e.Kind == ChannelMessageKind.Info && e.Source.StartsWith("AdGan", StringComparison.Ordinal))
        Console.WriteLine(e.Message);
};
var files = ml.Data.LoadFromEnumerable(Directory.GetFiles(images).Order().Select(path => new ImageFile
{
    Path = path,
    TruthPath = labels is null ? "" : Path.Combine(labels, Path.GetFileName(path)),
}));

var options = new AdGanSegmentationEstimator.Options
{
    // What `adgan train` does by default: nucleus sizes, nuclei per crop and the working scale measured on the images.
    PriorEstimation = new PriorEstimationOptions { TargetRadius = 12 },
    TimeBudget = TimeSpan.FromMinutes(minutes), // the iterations are planned so that training ends within it
    MetricsCallback = m => Console.WriteLine(m),
};
var pipeline = ml.Transforms.LoadMicroscopyImages("Image", "Path")
    .Append(ml.Nuclei().Segment(options));      // unsupervised training in Fit; the model segments every image

var model = pipeline.Fit(files);
var scored = model.Transform(files);            // Instances (+ .Height, .Width, .Count, .WorkingScale), Decoded (+ shape)
foreach (var map in ml.Nuclei().ReadLabelMaps(scored, "Instances"))
    Console.WriteLine($"{map.Shape}: {map.Data.Where(v => v != 0).Distinct().Count()} nuclei");

if (labels is not null)
{
    // The truth column: the true label maps, read like the images; then Dice, AJI, F1@0.5, PQ over the images.
    var withTruth = ml.Transforms.LoadMicroscopyImages("Truth", "TruthPath").Fit(scored).Transform(scored);
    var metrics = ml.EvaluateSegmentation(withTruth, "Truth", "Instances");
    Console.WriteLine($"Dice {metrics.Dice:F3}  AJI {metrics.AggregatedJaccardIndex:F3}  F1@0.5 {metrics.F1At50:F3}  PQ {metrics.PanopticQuality:F3}");
}

ml.Model.Save(model, files.Schema, "nuclei.zip");
var loaded = new MLContext().Model.Load("nuclei.zip", out _);   // the same labels in another process; no registration call
Console.WriteLine($"Saved nuclei.zip: {ml.Nuclei().ReadLabelMaps(loaded.Transform(files)).Count()} images segmented again.");

/// <summary>One input row: an image file and, optionally, the file of its true labels.</summary>
public sealed class ImageFile
{
    public string Path { get; set; } = "";

    public string TruthPath { get; set; } = "";
}
