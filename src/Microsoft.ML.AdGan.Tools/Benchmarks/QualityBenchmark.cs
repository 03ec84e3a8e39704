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
            var (trained, iterations, planned, minutes) = TrainOrReuse(options, training, images, log, cancellationToken);
            using var trainedModel = trained;
            // A reused model gets a fresh student when one is asked for (the student's training is what is being compared).
            double? studentMinutes = null;
            AdGanSegmentationModel? withStudent = null;
            if (training.Student is { } studentOptions && (options.ReuseModels || trainedModel.Student is null))
            {
                var studentClock = Stopwatch.StartNew();
                var real = studentOptions.PseudoLabelFraction > 0 ? new InMemoryImageSource(images, training.Normalization, training.Scaling()) : null;
                withStudent = trainedModel.WithStudent(StudentTrainer.Train(trainedModel.Networks, training.MaskOptions(), studentOptions, real, trainedModel.Settings, log, cancellationToken));
                studentMinutes = studentClock.Elapsed.TotalMinutes;
            }
            using var studentSource = withStudent;
            var source = studentSource ?? trainedModel;
            var decoding = source.Settings with { Decoding = options.Decoding };
            using var model = source.WithSettings((options.ConfigureInference?.Invoke(decoding) ?? decoding) with { Network = SegmentationNetwork.Generator });
            var labelOptions = model.LabelOptions;
            options.ConfigureLabeling?.Invoke(labelOptions);
            var pipeline = new NucleusSegmenter(model, labelOptions);
            var student = StudentPipelines(model, options);
            string? predictionFolder = options.PredictionFolder is { } predictions ? Path.Combine(predictions, string.Create(ci, $"seed-{training.Seed}")) : null;
            if (predictionFolder is not null)
            {
                Directory.CreateDirectory(predictionFolder);
                foreach (var (d, _) in student.Pipelines)
                    Directory.CreateDirectory(StudentPredictionFolder(predictionFolder, d));
            }
            var rows = new List<ImageSegmentationMetrics>();
            var dim = new List<DimNucleusScores>();
            var studentRows = student.Pipelines.Select(_ => (Rows: new List<ImageSegmentationMetrics>(), Dim: new List<DimNucleusScores>())).ToArray();
            var generatorTime = new Stopwatch();
            var studentTime = new Stopwatch();
            double workingPixels = 0;
            for (int i = 0; i < names.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = $"'{names[i]}'";
                generatorTime.Start();
                var decoded = pipeline.Decode(images[i], name);
                generatorTime.Stop();
                workingPixels += images[i].Shape.Length * decoded.WorkingScale * decoded.WorkingScale;
                var labels = pipeline.Label(decoded).Labels;
                if (predictionFolder is not null)
                    MicroscopyImageWriter.WriteLabels(Path.Combine(predictionFolder, names[i] + ".png"), labels);
                rows.Add(evaluator.EvaluateImage(truths[i], labels, names[i]));
                if (bright is not null)
                    dim.Add(DimNucleusScores.Compute(truths[i], labels, bright[i]));
                if (student.Pipelines.Count == 0)
                    continue;
                studentTime.Start();
                var studentMap = student.Pipelines[0].Pipeline.Decode(images[i], name);
                studentTime.Stop();
                for (int d = 0; d < student.Pipelines.Count; d++)
                {
                    var (studentDecoding, studentPipeline) = student.Pipelines[d];
                    var studentLabels = studentPipeline.Label(studentMap).Labels;
                    if (predictionFolder is not null)
                        MicroscopyImageWriter.WriteLabels(Path.Combine(StudentPredictionFolder(predictionFolder, studentDecoding), names[i] + ".png"), studentLabels);
                    studentRows[d].Rows.Add(evaluator.EvaluateImage(truths[i], studentLabels, names[i]));
                    if (bright is not null)
                        studentRows[d].Dim.Add(DimNucleusScores.Compute(truths[i], studentLabels, bright[i]));
                }
            }
            student.Model?.Dispose();

            var students = student.Pipelines.Select((p, j) => new QualityBenchmarkStudentRow(p.Decoding, SegmentationEvaluator.Combine(studentRows[j].Rows))
            {
                DimNuclei = bright is null ? null : DimNucleusScores.Pool(studentRows[j].Dim),
            }).ToList();
            var speed = model.Student is not { } trainedStudent ? null
                : QualityBenchmarkTiming.Measure(model, trainedStudent, workingPixels / 1e6 / generatorTime.Elapsed.TotalSeconds, workingPixels / 1e6 / studentTime.Elapsed.TotalSeconds);
            var run = new QualityBenchmarkRun(training.Seed, iterations, planned, minutes, SegmentationEvaluator.Combine(rows), students, studentMinutes, speed)
            {
                DimNuclei = bright is null ? null : DimNucleusScores.Pool(dim),
            };
            runs.Add(run);
            log(string.Create(ci, $"seed {run.Seed}: {run.Iterations} iterations in {minutes:F1} min; {run.Metrics}"));
            foreach (var row in students)
                log(string.Create(ci, $"seed {run.Seed} student ({row.Decoding}): {row.Metrics}"));
            if (speed is not null)
                log(string.Create(ci, $"seed {run.Seed} speed: {speed}"));
        }

        return new QualityBenchmarkResult(selection, names, Describe(resolved, options), baselineSettings, baselineRuns, runs)
        {
            BaselineDimNuclei = bright is null ? null : DimNucleusScores.Pool(baselineDim),
        };
    }

    /// <summary>
    /// The student's pipelines, one per decoding scored (<see cref="QualityBenchmarkOptions.StudentDecodings"/>, or the student's
    /// own), over a view of <paramref name="model"/> that segments with the student; none when the model has no student. The
    /// caller disposes the view.
    /// </summary>
    private static (AdGanSegmentationModel? Model, IReadOnlyList<(StudentDecoding Decoding, NucleusSegmenter Pipeline)> Pipelines) StudentPipelines(
        AdGanSegmentationModel model, QualityBenchmarkOptions options)
    {
        if (model.Student is not { } student)
            return (null, Array.Empty<(StudentDecoding, NucleusSegmenter)>());
        var view = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        var decodings = options.StudentDecodings.Count > 0 ? options.StudentDecodings : new[] { student.Settings.Decoding };
        var pipelines = decodings.Select(d =>
        {
            var labeling = StudentLabeling.For(view.Settings, d);
            options.ConfigureStudentLabeling?.Invoke(labeling);
            return (d, new NucleusSegmenter(view, labeling));
        }).ToList();
        return (view, pipelines);
    }

    private static string StudentPredictionFolder(string seedFolder, StudentDecoding decoding) => seedFolder + "-student-" + decoding.ToString().ToLowerInvariant();

    /// <summary>
    /// One seed's model: trained (and saved to <see cref="QualityBenchmarkOptions.ModelFolder"/> when set), or with
    /// <see cref="QualityBenchmarkOptions.ReuseModels"/> loaded from there together with its recorded iterations and minutes;
    /// the iterations of its schedule (planned for a time budget, or the options').
    /// </summary>
    private static (AdGanSegmentationModel Model, int Iterations, int Planned, double Minutes) TrainOrReuse(QualityBenchmarkOptions options, AdGanTrainerOptions training,
        List<ImageBuffer<float>> images, Action<string> log, CancellationToken cancellationToken)
    {
        string? file = options.ModelFolder is { } folder ? Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"seed-{training.Seed}.zip")) : null;
        if (options.ReuseModels)
        {
            if (training.Threads is int threads)
                TorchSharp.torch.set_num_threads(threads);
            var record = QualityBenchmarkModelRecord.Read(file!);
            log(string.Create(CultureInfo.InvariantCulture, $"seed {training.Seed}: reusing '{file}' ({record.Iterations} iterations, {record.TrainingMinutes:F1} min)."));
            return (AdGanModelFile.LoadModel(new MLContext(training.Seed), file!, s => s), record.Iterations, training.TimeBudget is null ? training.TotalIterations : record.Iterations, record.TrainingMinutes);
        }

        var source = new InMemoryImageSource(images, training.Normalization, training.Scaling());
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
        return (trained, trainer.CompletedIterations, trainer.PlannedIterations, minutes);
    }

    private static string Describe(AdGanTrainerOptions o, QualityBenchmarkOptions options)
    {
        var ci = CultureInfo.InvariantCulture;
        string priors = o.PriorEstimation is null ? "given" : o.PriorEstimation.TargetRadius is double t ? string.Create(ci, $"estimated, target radius {t:G4}") : "estimated at the given scale";
        string schedule = o.TimeBudget is TimeSpan budget
            ? string.Create(ci, $"iterations planned for {budget.TotalMinutes:G4} min per seed ({o.DecayIterations}/{o.TotalIterations} of them decaying)")
            : string.Create(ci, $"{o.Iterations}+{o.DecayIterations} iterations");
        string average = o.GeneratorAverageDecay > 0 ? string.Create(ci, $"{o.GeneratorAverageDecay:G4}") : "off";
        string extras = (options.ConfigureInference is null ? "" : ", inference overrides") + (options.ConfigureLabeling is null ? "" : ", labelling overrides");
        return string.Create(ci,
            $"crop {o.CropSize}, ngf {o.BaseChannels}, batch {o.BatchSize}, {o.Precision}, scale {o.ImageScale:G4}, SemiAxis [{o.Masks.SemiAxis.Min}, {o.Masks.SemiAxis.Max}), count {o.Masks.CountPerPatch.Min}-{o.Masks.CountPerPatch.Max} ({priors}), {o.Masks.Coding}, {schedule}, generator average {average}, threads {o.Threads?.ToString(ci) ?? "default"}{extras}");
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
