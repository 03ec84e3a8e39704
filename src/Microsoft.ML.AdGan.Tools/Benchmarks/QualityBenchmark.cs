using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// The quality benchmark: trains AD-GAN without labels on a set of images (once per seed), segments the same images,
/// labels instances, and scores them against their truth next to the classical threshold baseline run on the same images.
/// The truth masks are read only for scoring. Both methods are scored at the images' full size; AD-GAN's labels come
/// from the segmentation pipeline (<see cref="NucleusSegmenter"/>), as every other entry point's do.
/// </summary>
public static class QualityBenchmark
{
    private static readonly MicroscopyReadOptions FirstPage = new() { FirstPageOnly = true };

    /// <summary>
    /// Runs the benchmark; throws <see cref="FileNotFoundException"/> naming an image or truth file that is missing. The torch
    /// thread count the training options set holds during the run only.
    /// </summary>
    public static QualityBenchmarkResult Run(QualityBenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int threads = TorchSharp.torch.get_num_threads();
        try
        {
            return RunWithThreads(options, cancellationToken);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    private static QualityBenchmarkResult RunWithThreads(QualityBenchmarkOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        var ci = CultureInfo.InvariantCulture;
        var log = options.Log ?? (_ => { });
        var (names, images, truths, bright) = options.Simulation is null ? ReadSelection(options) : Simulate(options);
        string selection = options.SelectionName ?? (options.Simulation is null ? options.ImageFolder : string.Create(ci, $"simulated ({names.Count} images, seed {options.Simulation.Seed})"));
        log(string.Create(ci, $"{selection}: {names.Count} images."));

        var resolved = TrainingPriors.Resolve(options.Training, names.Zip(images, (n, i) => (n, i)), log);
        double baselineScale = options.BaselineScale ?? resolved.ImageScale;
        var baselineOptions = options.Baseline;
        var seeds = baselineOptions.DistanceJitter > 0 ? options.BaselineSeeds : new[] { baselineOptions.JitterSeed };
        var evaluator = new SegmentationEvaluator();
        var baselineRuns = new List<SegmentationMetrics>();
        var baselineDim = new List<DimNucleusScores>();
        foreach (int jitterSeed in seeds)
        {
            var seeded = baselineOptions.Clone();
            seeded.JitterSeed = jitterSeed;
            var segmenter = new ThresholdSegmentation(seeded);
            var baselineRows = new List<ImageSegmentationMetrics>();
            for (int i = 0; i < names.Count; i++)
            {
                var working = baselineScale == 1.0 ? images[i] : ImageResampler.Rescale(images[i], baselineScale);
                var labels = segmenter.Segment(working);
                if (baselineScale != 1.0)
                    labels = ImageResampler.ResizeNearest(labels, images[i].Shape);
                baselineRows.Add(evaluator.EvaluateImage(truths[i], labels, names[i]));
                if (bright is not null)
                    baselineDim.Add(DimNucleusScores.Compute(truths[i], labels, bright[i]));
            }

            baselineRuns.Add(SegmentationEvaluator.Combine(baselineRows));
        }

        string baselineSettings = string.Create(ci, $"{baselineOptions.Method}, blur {baselineOptions.BlurSigma}, min diameter {baselineOptions.MinDiameter} px at scale {baselineScale:G4}, distance jitter {baselineOptions.DistanceJitter:G3} (mean over seeds {string.Join(",", seeds)})");
        log(string.Create(ci, $"baseline (first seed): {baselineRuns[0]}"));

        var runs = new List<QualityBenchmarkRun>();
        for (int k = 0; k < options.Seeds; k++)
        {
            var training = resolved.CloneWithOwnMasks();
            training.Seed = resolved.Seed + k;
            training.ResumeFrom = null;
            var (trained, iterations, minutes) = TrainOrReuse(options, training, images, log, cancellationToken);
            using var trainedModel = trained;
            var decoding = trainedModel.Settings with { Decoding = options.Decoding };
            using var model = trainedModel.WithSettings(options.ConfigureInference?.Invoke(decoding) ?? decoding);
            var labelOptions = model.LabelOptions;
            options.ConfigureLabeling?.Invoke(labelOptions);
            var pipeline = new NucleusSegmenter(model, labelOptions);
            string? predictionFolder = options.PredictionFolder is { } predictions ? Path.Combine(predictions, string.Create(ci, $"seed-{training.Seed}")) : null;
            if (predictionFolder is not null)
                Directory.CreateDirectory(predictionFolder);
            var rows = new List<ImageSegmentationMetrics>();
            var dim = new List<DimNucleusScores>();
            for (int i = 0; i < names.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var labels = pipeline.Segment(images[i], $"'{names[i]}'").Labels;
                if (predictionFolder is not null)
                    MicroscopyImageWriter.WriteLabels(Path.Combine(predictionFolder, names[i] + ".png"), labels);
                rows.Add(evaluator.EvaluateImage(truths[i], labels, names[i]));
                if (bright is not null)
                    dim.Add(DimNucleusScores.Compute(truths[i], labels, bright[i]));
            }

            var run = new QualityBenchmarkRun(training.Seed, iterations, training.TotalIterations, minutes, SegmentationEvaluator.Combine(rows))
            {
                DimNuclei = bright is null ? null : DimNucleusScores.Pool(dim),
            };
            runs.Add(run);
            log(string.Create(ci, $"seed {run.Seed}: {run.Iterations} iterations in {minutes:F1} min; {run.Metrics}"));
        }

        return new QualityBenchmarkResult(selection, names, Describe(resolved, options), baselineSettings, baselineRuns, runs)
        {
            BaselineDimNuclei = bright is null ? null : DimNucleusScores.Pool(baselineDim),
        };
    }

    /// <summary>
    /// One seed's model: trained (and saved to <see cref="QualityBenchmarkOptions.ModelFolder"/> when set), or with
    /// <see cref="QualityBenchmarkOptions.ReuseModels"/> loaded from there together with its recorded iterations and minutes.
    /// </summary>
    private static (AdGanSegmentationModel Model, int Iterations, double Minutes) TrainOrReuse(QualityBenchmarkOptions options, AdGanTrainerOptions training,
        List<ImageBuffer<float>> images, Action<string> log, CancellationToken cancellationToken)
    {
        string? file = options.ModelFolder is { } folder ? Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"seed-{training.Seed}.zip")) : null;
        if (options.ReuseModels)
        {
            if (training.Threads is int threads)
                TorchSharp.torch.set_num_threads(threads);
            var record = QualityBenchmarkModelRecord.Read(file!);
            log(string.Create(CultureInfo.InvariantCulture, $"seed {training.Seed}: reusing '{file}' ({record.Iterations} iterations, {record.TrainingMinutes:F1} min)."));
            return (AdGanModelFile.LoadModel(new MLContext(training.Seed), file!, s => s), record.Iterations, record.TrainingMinutes);
        }

        var source = new InMemoryImageSource(images, training.Normalization, training.ImageScale);
        var clock = Stopwatch.StartNew();
        using var trainer = new AdGanTrainer(training, source, log: log);
        var trained = trainer.Train(cancellationToken);
        double minutes = clock.Elapsed.TotalMinutes;
        if (file is not null)
        {
            try
            {
                AdGanModelFile.Save(new MLContext(training.Seed), trained, file);
                new QualityBenchmarkModelRecord(trainer.CompletedIterations, minutes).Write(file);
            }
            catch
            {
                trained.Dispose();
                throw;
            }
            log($"seed {training.Seed}: model saved to '{file}'.");
        }
        return (trained, trainer.CompletedIterations, minutes);
    }

    private static string Describe(AdGanTrainerOptions o, QualityBenchmarkOptions options)
    {
        var ci = CultureInfo.InvariantCulture;
        string priors = o.PriorEstimation is null ? "given" : o.PriorEstimation.TargetRadius is double t ? string.Create(ci, $"estimated, target radius {t:G4}") : "estimated at the given scale";
        string minutes = o.MaxMinutes is double m ? string.Create(ci, $"{m:G4} min") : "no time limit";
        string average = o.GeneratorAverageDecay > 0 ? string.Create(ci, $"{o.GeneratorAverageDecay:G4}") : "off";
        string extras = (options.ConfigureInference is null ? "" : ", inference overrides") + (options.ConfigureLabeling is null ? "" : ", labelling overrides");
        return string.Create(ci,
            $"crop {o.CropSize}, ngf {o.BaseChannels}, batch {o.BatchSize}, {o.Precision}, scale {o.ImageScale:G4}, SemiAxis [{o.Masks.SemiAxis.Min}, {o.Masks.SemiAxis.Max}), count {o.Masks.CountPerPatch.Min}-{o.Masks.CountPerPatch.Max} ({priors}), {o.Masks.Coding}, {o.Iterations}+{o.DecayIterations} iterations, {minutes} per seed, generator average {average}, threads {o.Threads?.ToString(ci) ?? "default"}{extras}");
    }

    /// <summary>The simulated selection: images 0 to N - 1 of the simulation, their labels, and (when some are bright) the bright labels.</summary>
    private static (List<string> Names, List<ImageBuffer<float>> Images, List<ImageBuffer<uint>> Truths, List<IReadOnlyList<uint>>? Bright) Simulate(QualityBenchmarkOptions options)
    {
        var simulator = new MicroscopySimulator(options.Simulation!);
        var simulated = Enumerable.Range(0, options.SimulatedImages).AsParallel().AsOrdered().Select(i => simulator.Simulate(i)).ToList();
        var names = simulated.Select(s => string.Create(CultureInfo.InvariantCulture, $"sim_{s.Index:D5}")).ToList();
        var bright = options.Simulation!.BrightNuclei.Max > 0 ? simulated.Select(s => s.BrightLabels).ToList() : null;
        return (names, simulated.Select(s => s.Image).ToList(), simulated.Select(s => s.Labels).ToList(), bright);
    }

    private static (List<string> Names, List<ImageBuffer<float>> Images, List<ImageBuffer<uint>> Truths, List<IReadOnlyList<uint>>? Bright) ReadSelection(QualityBenchmarkOptions options)
    {
        var files = MicroscopyImageReader.ListFiles(options.ImageFolder);
        var byStem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
            byStem.TryAdd(Path.GetFileNameWithoutExtension(f), f);
        var truthByStem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in MicroscopyImageReader.ListFiles(options.TruthFolder))
            truthByStem.TryAdd(Path.GetFileNameWithoutExtension(f), f);
        var names = options.Names?.ToList() ?? byStem.Keys.ToList();
        if (names.Count == 0)
            throw new FileNotFoundException($"No image selected in '{options.ImageFolder}'.");
        var images = new List<ImageBuffer<float>>();
        var truths = new List<ImageBuffer<uint>>();
        foreach (var name in names)
        {
            if (!byStem.TryGetValue(name, out var imageFile))
                throw new FileNotFoundException($"Image '{name}' is not in '{options.ImageFolder}'.", Path.Combine(options.ImageFolder, name));
            if (!truthByStem.TryGetValue(name, out var truthFile))
                throw new FileNotFoundException($"Image '{name}' has no truth file in '{options.TruthFolder}'.", Path.Combine(options.TruthFolder, name));
            var image = MicroscopyImageReader.Read(imageFile, FirstPage);
            if (image.Shape.Is3D)
                throw new ArgumentException($"Image '{imageFile}' is a {image.Shape} volume; the quality benchmark scores 2D images only.");
            var truth = LabelMaps.Read(truthFile);
            if (truth.Shape.Height != image.Shape.Height || truth.Shape.Width != image.Shape.Width)
                throw new ArgumentException($"Truth '{truthFile}' is {truth.Shape} but image '{imageFile}' is {image.Shape}.");
            images.Add(image);
            truths.Add(truth.Shape.Is3D ? new ImageBuffer<uint>(truth.Data, image.Shape) : truth);
        }

        return (names, images, truths, null);
    }
}
