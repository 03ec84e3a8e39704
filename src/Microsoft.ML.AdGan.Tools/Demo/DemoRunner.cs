using System.Diagnostics;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Reporting;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tools.Demo;

/// <summary>
/// End-to-end demonstration with no data needed: simulates fluorescence images with known nuclei, trains AD-GAN on some
/// of them without their labels, segments the held-back ones, scores them against the simulation's truth and against the
/// classical threshold baseline, and writes model.zip plus a self-contained HTML report (report.html, PNGs beside it).
/// With <see cref="DemoSettings.Depth"/> set it does the same on confocal-like volumes: simulated on cubic voxels with an
/// anisotropic PSF and depth attenuation, every ZStep-th slice kept and the voxel size recorded; training, AD-GAN
/// decoding and the baseline work on cubic voxels and all results are scored on the stored grid.
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
            Shape = settings.Is3D ? ImageShape.Of3D(settings.SimulatedDepth, settings.ImageSize, settings.ImageSize) : ImageShape.Of2D(settings.ImageSize, settings.ImageSize),
            SemiAxis = settings.SemiAxis,
            CountPerImage = settings.CountPerImage,
            Seed = settings.Seed,
        };
        var simulator = new MicroscopySimulator(simulation);
        SimulatedMicroscopyImage Simulate(int i) => settings.Is3D
            ? AnisotropicSampling.SampleZ(simulator.Simulate(i), settings.ZStep, settings.PixelSize)
            : simulator.Simulate(i);
        var train = Enumerable.Range(0, settings.TrainImages).Select(Simulate).ToList();
        var test = Enumerable.Range(settings.TrainImages, settings.TestImages).Select(Simulate).ToList();
        string extension = settings.Is3D ? ".tif" : ".png";
        string dataDir = Path.Combine(outDir, "data");
        Directory.CreateDirectory(Path.Combine(dataDir, "images"));
        Directory.CreateDirectory(Path.Combine(dataDir, "labels"));
        for (int i = 0; i < test.Count; i++)
        {
            MicroscopyImageWriter.Write(Path.Combine(dataDir, "images", TestName(i) + extension), test[i].Image, IntensityScaling.Raw(simulation.BitDepth));
            MicroscopyImageWriter.WriteLabels(Path.Combine(dataDir, "labels", TestName(i) + extension), test[i].Labels);
        }
        timings.Add(("simulate", Lap()));
        log($"Simulated {train.Count} training and {test.Count} held-back {test[0].Image.Shape} {(settings.Is3D ? "volumes" : "images")} (semi-axis {settings.SemiAxis.Min}-{settings.SemiAxis.Max} px, {settings.CountPerImage.Min}-{settings.CountPerImage.Max} nuclei each).");

        // 2. Train without labels.
        var options = settings.TrainerOptions();
        options.SnapshotDirectory = Path.Combine(outDir, "training");
        var source = new InMemoryImageSource(train.Select(t => t.Image), options.Normalization, options.Scaling());
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
        var trainTime = Lap();
        timings.Add(("train", trainTime));
        log($"Trained {done} of {trainer.PlannedIterations} iterations; model written to {modelPath}.");

        // 3. Segment the held-back images with AD-GAN and with the baseline.
        var segmenter = new NucleusSegmenter(model);
        double minDiameter = BaselineMinDiameter(simulation);
        var baseline = new ThresholdSegmentation(new ThresholdSegmentationOptions { MinDiameter = minDiameter });
        var decoded = new List<ImageBuffer<float>>();
        var predicted = new List<ImageBuffer<uint>>();
        var classical = new List<ImageBuffer<uint>>();
        var adganClock = new Stopwatch();
        var baselineClock = new Stopwatch();
        foreach (var image in test)
        {
            cancellationToken.ThrowIfCancellationRequested();
            adganClock.Start();
            var segmented = segmenter.Segment(image.Image);
            decoded.Add(segmented.DecodedMap);
            predicted.Add(segmented.Labels);
            adganClock.Stop();
            baselineClock.Start();
            // The baseline's blur and size filter assume cubic voxels: it runs on the resampled volume too.
            classical.Add(IsotropicVolumes.ApplyLabels(image.Image, baseline.Segment));
            baselineClock.Stop();
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
            var volumeViews = settings.Is3D ? SaveVolumeViews(outDir, name, image, decoded[i], predicted[i], classical[i], test[i].Labels) : Array.Empty<(string Path, string Caption)>();
            pictures.AddRange(volumeViews.Select(v => v.Path));
            rows.Add(new DemoReport.ImageRow(name, P("image"), P("decoded"), P("adgan"), P("baseline"), P("truth"),
                adganMetrics.PerImage[i], baselineMetrics.PerImage[i], test[i].NucleusCount, volumeViews));
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
            IterationsPlanned = trainer.PlannedIterations,
            Plan = trainer.Plan,
            BaselineMinDiameter = minDiameter,
            Timings = timings,
            Pictures = pictures,
            SecondsPerIteration = done > 0 ? trainTime.TotalSeconds / done : double.NaN,
            AdGanSecondsPerImage = adganClock.Elapsed.TotalSeconds / test.Count,
            BaselineSecondsPerImage = baselineClock.Elapsed.TotalSeconds / test.Count,
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

    /// <summary>Maximum projections with projected contours, and slices at a quarter and three quarters of the depth with AD-GAN (red) and truth (green) contours.</summary>
    private static (string Path, string Caption)[] SaveVolumeViews(string outDir, string name, ImageBuffer<float> image, ImageBuffer<float> decoded,
        ImageBuffer<uint> adgan, ImageBuffer<uint> baseline, ImageBuffer<uint> truth)
    {
        string P(string kind) => Path.Combine("overlays", $"{name}_{kind}.png");
        var views = new List<(string, string)>();
        var projection = VolumeViews.MaxProjection(image);
        void Save(string kind, string caption, ImageBuffer<float> picture, OverlayLayer[] layers, (float, float)? range = null)
        {
            OverlayRenderer.Save(Path.Combine(outDir, P(kind)), picture, layers, range);
            views.Add((P(kind), caption));
        }

        Save("mip", "max projection", projection, Array.Empty<OverlayLayer>());
        Save("mip_decoded", "decoded map, max projection", VolumeViews.MaxProjection(decoded), Array.Empty<OverlayLayer>(), (-1f, 1f));
        Save("mip_adgan", "AD-GAN, projected", projection, new[] { new OverlayLayer(VolumeViews.LabelProjection(adgan), PlotColor.Red) });
        Save("mip_baseline", "baseline, projected", projection, new[] { new OverlayLayer(VolumeViews.LabelProjection(baseline), PlotColor.Yellow) });
        Save("mip_truth", "truth, projected", projection, new[] { new OverlayLayer(VolumeViews.LabelProjection(truth), PlotColor.Green) });
        foreach (int z in new[] { image.Shape.Depth / 4, image.Shape.Depth * 3 / 4 })
            Save($"z{z:D3}", $"slice {z}: AD-GAN (red), truth (green)", VolumeViews.Slice(image, z),
                new[] { new OverlayLayer(VolumeViews.Slice(truth, z), PlotColor.Green), new OverlayLayer(VolumeViews.Slice(adgan, z), PlotColor.Red) });
        return views.ToArray();
    }
}
