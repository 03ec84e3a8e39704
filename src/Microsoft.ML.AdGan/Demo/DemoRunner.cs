using System.Diagnostics;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Reporting;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Demo;

/// <summary>
/// End-to-end demonstration with no data needed: simulates fluorescence images with known nuclei, trains AD-GAN on some
/// of them without their labels, segments the held-back ones, scores them against the simulation's truth and against the
/// classical threshold baseline, and writes model.zip plus a self-contained HTML report (report.html, PNGs beside it).
/// </summary>
public static class DemoRunner
{
    /// <summary>Runs the demo into <see cref="DemoSettings.OutputDirectory"/>; <paramref name="log"/> receives progress lines.</summary>
    public static DemoResult Run(DemoSettings settings, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        log ??= _ => { };
        string outDir = Path.GetFullPath(settings.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var timings = new List<(string, TimeSpan)>();
        var pictures = new List<string>();
        var clock = Stopwatch.StartNew();
        TimeSpan Lap()
        {
            var t = clock.Elapsed;
            clock.Restart();
            return t;
        }

        // 1. Simulate: the first TrainImages for training (labels unused), the next TestImages held back.
        var simulation = new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(settings.ImageSize, settings.ImageSize),
            SemiAxis = settings.SemiAxis,
            CountPerImage = settings.CountPerImage,
            Seed = settings.Seed,
        };
        var simulator = new MicroscopySimulator(simulation);
        var train = Enumerable.Range(0, settings.TrainImages).Select(i => simulator.Simulate(i)).ToList();
        var test = Enumerable.Range(settings.TrainImages, settings.TestImages).Select(i => simulator.Simulate(i)).ToList();
        string dataDir = Path.Combine(outDir, "data");
        Directory.CreateDirectory(Path.Combine(dataDir, "images"));
        Directory.CreateDirectory(Path.Combine(dataDir, "labels"));
        for (int i = 0; i < test.Count; i++)
        {
            MicroscopyImageWriter.Write(Path.Combine(dataDir, "images", TestName(i) + ".png"), test[i].Image, IntensityScaling.Raw(simulation.BitDepth));
            MicroscopyImageWriter.WriteLabels(Path.Combine(dataDir, "labels", TestName(i) + ".png"), test[i].Labels);
        }
        timings.Add(("simulate", Lap()));
        log($"Simulated {train.Count} training and {test.Count} held-back {simulation.Shape} images (semi-axis {settings.SemiAxis.Min}-{settings.SemiAxis.Max} px, {settings.CountPerImage.Min}-{settings.CountPerImage.Max} nuclei each).");

        // 2. Train without labels.
        var options = settings.TrainerOptions();
        options.SnapshotDirectory = Path.Combine(outDir, "training");
        var source = new InMemoryImageSource(train.Select(t => t.Image), options.Normalization, options.ImageScale);
        string modelPath = Path.Combine(outDir, "model.zip");
        using var trainer = new AdGanTrainer(options, source, log: log);
        using var model = trainer.Train(cancellationToken);
        int done = trainer.CompletedIterations;
        var history = trainer.LossHistory.ToList();
        string? lastPanel = trainer.SnapshotFiles.LastOrDefault(f => Path.GetFileName(f).StartsWith("translations_", StringComparison.Ordinal));
        pictures.AddRange(trainer.SnapshotFiles.Select(f => Path.GetRelativePath(outDir, f)));
        if (history.Count > 0 && history[^1].Skip(1).Any(v => !double.IsFinite(v)))
            throw new InvalidOperationException($"Training diverged (losses are not finite at iteration {history[^1][0]}) with seed {settings.Seed}; try another seed.");
        AdGanModelFile.Save(new MLContext(settings.Seed), model, modelPath);
        timings.Add(("train", Lap()));
        log($"Trained {done} of {options.TotalIterations} iterations; model written to {modelPath}.");

        // 3. Segment the held-back images with AD-GAN and with the baseline.
        var labeler = new InstanceLabeler(new InstanceLabelOptions
        {
            Mode = model.Settings.Coding == SyntheticMaskCoding.Instance ? InstanceLabelMode.ThreeLevel : InstanceLabelMode.Semantic,
            ForegroundThreshold = model.Settings.ForegroundThreshold,
            CoreThreshold = model.Settings.CoreThreshold,
        });
        double minDiameter = BaselineMinDiameter(simulation);
        var baseline = new ThresholdSegmentation(new ThresholdSegmentationOptions { MinDiameter = minDiameter });
        var decoded = new List<ImageBuffer<float>>();
        var predicted = new List<ImageBuffer<uint>>();
        var classical = new List<ImageBuffer<uint>>();
        foreach (var image in test)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var map = model.Decode(image.Image);
            decoded.Add(map);
            predicted.Add(labeler.Label(map));
            classical.Add(baseline.Segment(image.Image));
        }
        timings.Add(("segment", Lap()));

        // 4. Evaluate against the simulation's truth.
        var evaluator = new SegmentationEvaluator();
        var adganMetrics = evaluator.Evaluate(test.Select((t, i) => (TestName(i), t.Labels, predicted[i])));
        var baselineMetrics = evaluator.Evaluate(test.Select((t, i) => (TestName(i), t.Labels, classical[i])));
        timings.Add(("evaluate", Lap()));
        log($"AD-GAN   Dice {adganMetrics.Dice:F3}  AJI {adganMetrics.AggregatedJaccardIndex:F3}  F1@0.5 {adganMetrics.F1At50:F3}  PQ {adganMetrics.PanopticQuality:F3}");
        log($"Baseline Dice {baselineMetrics.Dice:F3}  AJI {baselineMetrics.AggregatedJaccardIndex:F3}  F1@0.5 {baselineMetrics.F1At50:F3}  PQ {baselineMetrics.PanopticQuality:F3}");

        // 5. Pictures and the report.
        var rows = new List<DemoReport.ImageRow>();
        for (int i = 0; i < test.Count; i++)
        {
            string name = TestName(i);
            string P(string kind) => Path.Combine("overlays", $"{name}_{kind}.png");
            var image = test[i].Image;
            OverlayRenderer.Save(Path.Combine(outDir, P("image")), image, Array.Empty<OverlayLayer>());
            OverlayRenderer.Save(Path.Combine(outDir, P("adgan")), image, new[] { new OverlayLayer(predicted[i], PlotColor.Red) });
            OverlayRenderer.Save(Path.Combine(outDir, P("baseline")), image, new[] { new OverlayLayer(classical[i], PlotColor.Yellow) });
            OverlayRenderer.Save(Path.Combine(outDir, P("truth")), image, new[] { new OverlayLayer(test[i].Labels, PlotColor.Green) });
            OverlayRenderer.Save(Path.Combine(outDir, P("decoded")), decoded[i], Array.Empty<OverlayLayer>(), (-1f, 1f));
            pictures.AddRange(new[] { P("image"), P("adgan"), P("baseline"), P("truth"), P("decoded") });
            rows.Add(new DemoReport.ImageRow(name, P("image"), P("decoded"), P("adgan"), P("baseline"), P("truth"),
                adganMetrics.PerImage[i], baselineMetrics.PerImage[i], test[i].NucleusCount));
        }
        string lossPlot = "losses.png";
        LossCurvePlot.Save(Path.Combine(outDir, lossPlot), history, new LossCurvePlotOptions { Title = $"AD-GAN training losses ({done} iterations)" });
        pictures.Add(lossPlot);
        string? translations = null;
        if (lastPanel is not null)
            translations = Path.GetRelativePath(outDir, lastPanel);
        timings.Add(("pictures", Lap()));

        string reportPath = Path.Combine(outDir, "report.html");
        var result = new DemoResult
        {
            ReportPath = reportPath,
            ModelPath = modelPath,
            AdGan = adganMetrics,
            Baseline = baselineMetrics,
            IterationsDone = done,
            IterationsPlanned = options.TotalIterations,
            BaselineMinDiameter = minDiameter,
            Timings = timings,
            Pictures = pictures,
        };
        DemoReport.Write(reportPath, settings, options, result, rows, lossPlot, translations);
        return result;
    }

    /// <summary>Smallest nucleus diameter the priors allow: twice the smallest semi-major axis times the shortest minor/major ratio.</summary>
    public static double BaselineMinDiameter(MicroscopySimulationOptions simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        double e = simulation.Eccentricity.Max;
        return Math.Max(2.0, 2.0 * simulation.SemiAxis.Min * Math.Sqrt(1 - e * e));
    }

    private static string TestName(int i) => $"test{i + 1:D2}";
}
