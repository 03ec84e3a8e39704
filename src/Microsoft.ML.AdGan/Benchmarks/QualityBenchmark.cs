using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Benchmarks;

/// <summary>
/// Issue 7's quality benchmark: trains AD-GAN without labels on a set of images (once per seed), segments the same images,
/// labels instances, and scores them against their truth next to the classical threshold baseline run on the same images.
/// The truth masks are read only for scoring. Both methods are scored at the images' full size.
/// </summary>
public static class QualityBenchmark
{
    private static readonly MicroscopyReadOptions FirstPage = new() { FirstPageOnly = true };

    /// <summary>Runs the benchmark; throws <see cref="FileNotFoundException"/> naming an image or truth file that is missing.</summary>
    public static QualityBenchmarkResult Run(QualityBenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ci = CultureInfo.InvariantCulture;
        var log = options.Log ?? (_ => { });
        var (names, images, truths) = ReadSelection(options);
        string selection = options.SelectionName ?? options.ImageFolder;
        log(string.Create(ci, $"{selection}: {names.Count} images."));

        var resolved = TrainingPriors.Resolve(options.Training, names.Zip(images, (n, i) => (n, i)), log);
        double baselineScale = options.BaselineScale ?? resolved.ImageScale;
        var baselineOptions = options.Baseline;
        var segmenter = new ThresholdSegmentation(baselineOptions);
        var evaluator = new SegmentationEvaluator();
        var baselineRows = new List<ImageSegmentationMetrics>();
        for (int i = 0; i < names.Count; i++)
        {
            var working = baselineScale == 1.0 ? images[i] : ImageResampler.Rescale(images[i], baselineScale);
            var labels = segmenter.Segment(working);
            if (baselineScale != 1.0)
                labels = ImageResampler.ResizeNearest(labels, images[i].Shape);
            baselineRows.Add(evaluator.EvaluateImage(truths[i], labels, names[i]));
        }

        var baseline = SegmentationEvaluator.Combine(baselineRows);
        string baselineSettings = string.Create(ci, $"{baselineOptions.Method}, blur {baselineOptions.BlurSigma}, min diameter {baselineOptions.MinDiameter} px at scale {baselineScale:G4}");
        log("baseline: " + baseline);

        var runs = new List<QualityBenchmarkRun>();
        for (int k = 0; k < options.Seeds; k++)
        {
            var training = resolved.CloneWithOwnMasks();
            training.Seed = resolved.Seed + k;
            training.ResumeFrom = null;
            var (trained, iterations, minutes) = TrainOrReuse(options, training, images, log, cancellationToken);
            using var trainedModel = trained;
            // A reused model gets a fresh student when one is asked for (the student's training is what is being compared).
            double? studentMinutes = null;
            AdGanSegmentationModel? withStudent = null;
            if (training.Student is { } studentOptions && (options.ReuseModels || trainedModel.Student is null))
            {
                var studentClock = Stopwatch.StartNew();
                var real = studentOptions.PseudoLabelFraction > 0 ? new InMemoryImageSource(images, training.Normalization, training.ImageScale) : null;
                withStudent = trainedModel.WithStudent(StudentTrainer.Train(trainedModel.Networks, training.MaskOptions(), studentOptions, real, trainedModel.Settings, log, cancellationToken));
                studentMinutes = studentClock.Elapsed.TotalMinutes;
            }
            using var studentModel = withStudent;
            var source = studentModel ?? trainedModel;
            using var model = source.WithSettings(options.ConfigureInference?.Invoke(source.Settings) ?? source.Settings);
            model.Settings.Validate();
            var labelOptions = InstanceLabelOptions.ForAdGan(model.Settings, options.Decoding);
            options.ConfigureLabeling?.Invoke(labelOptions);
            var labeler = new InstanceLabeler(labelOptions);
            var student = model.Student;
            var decodings = student is null ? Array.Empty<StudentDecoding>() : options.StudentDecodings.Count > 0 ? options.StudentDecodings.ToArray() : new[] { student.Settings.Decoding };
            var studentLabelers = decodings.Select(d =>
            {
                var o = InstanceLabelOptions.ForStudent(model.Settings, d);
                options.ConfigureStudentLabeling?.Invoke(o);
                return new InstanceLabeler(o);
            }).ToArray();
            var rows = new List<ImageSegmentationMetrics>();
            var studentRows = decodings.Select(_ => new List<ImageSegmentationMetrics>()).ToArray();
            var generatorTime = new Stopwatch();
            var studentTime = new Stopwatch();
            double workingPixels = 0;
            for (int i = 0; i < names.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                generatorTime.Start();
                var decoded = model.DecodeWithScale(images[i]);
                generatorTime.Stop();
                workingPixels += images[i].Shape.Length * decoded.WorkingScale * decoded.WorkingScale;
                rows.Add(evaluator.EvaluateImage(truths[i], labeler.Label(decoded), names[i]));
                if (student is null)
                    continue;
                studentTime.Start();
                var studentMap = student.DecodeWithScale(model, images[i]);
                studentTime.Stop();
                for (int d = 0; d < decodings.Length; d++)
                    studentRows[d].Add(evaluator.EvaluateImage(truths[i], studentLabelers[d].Label(studentMap), names[i]));
            }

            var students = decodings.Select((d, j) => new QualityBenchmarkStudentRow(d, SegmentationEvaluator.Combine(studentRows[j]))).ToList();
            var speed = student is null ? null : QualityBenchmarkTiming.Measure(model, student, workingPixels / 1e6 / generatorTime.Elapsed.TotalSeconds, workingPixels / 1e6 / studentTime.Elapsed.TotalSeconds);
            var run = new QualityBenchmarkRun(training.Seed, iterations, training.TotalIterations, minutes, SegmentationEvaluator.Combine(rows), students, studentMinutes, speed);
            runs.Add(run);
            log(string.Create(ci, $"seed {run.Seed}: {run.Iterations} iterations in {minutes:F1} min; {run.Metrics}"));
            foreach (var row in students)
                log(string.Create(ci, $"seed {run.Seed} student ({row.Decoding}): {row.Metrics}"));
            if (speed is not null)
                log(string.Create(ci, $"seed {run.Seed} speed: {speed}"));
        }

        return new QualityBenchmarkResult(selection, names, Describe(resolved, options), baselineSettings, baseline, runs);
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

    private static (List<string> Names, List<ImageBuffer<float>> Images, List<ImageBuffer<uint>> Truths) ReadSelection(QualityBenchmarkOptions options)
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

        return (names, images, truths);
    }
}
