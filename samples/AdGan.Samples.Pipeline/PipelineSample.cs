using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.Runtime;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Samples.Pipeline;

/// <summary>
/// Unsupervised nuclei segmentation as an ML.NET pipeline: load images -> train AD-GAN and segment (the library's one
/// segmentation pipeline yields the labelled nuclei), then evaluate against true labels, save the fitted pipeline, load it
/// back and check it gives the same answers.
/// </summary>
public static class PipelineSample
{
    /// <summary>One row of the dataset: an image file and the file of its true labels (used only to evaluate).</summary>
    public sealed class ImageFile
    {
        /// <summary>Path of the microscopy image.</summary>
        public string Path { get; set; } = "";

        /// <summary>Path of the image's true instance labels (16-bit PNG, 0 = background).</summary>
        public string TruthPath { get; set; } = "";
    }

    /// <summary>Runs the sample, writing progress and metrics to <paramref name="log"/>.</summary>
    public static SampleResult Run(SampleSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        string folder = settings.Folder ?? Directory.CreateTempSubdirectory("adgan-sample-").FullName;
        try
        {
            return Run(settings, folder, log);
        }
        finally
        {
            if (settings.Folder is null)
                Directory.Delete(folder, recursive: true);
        }
    }

    private static SampleResult Run(SampleSettings settings, string folder, TextWriter log)
    {
        var mlContext = new MLContext(seed: settings.Seed);
        mlContext.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Info && e.Source.StartsWith(nameof(AdGanSegmentationEstimator), StringComparison.Ordinal))
                log.WriteLine("  " + e.Message);
        };

        // 1. The data: image files. AD-GAN learns without labels; the simulator's exact labels are kept for evaluation only.
        var (training, scoring) = SimulateDataset(settings, folder);
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(training);
        IDataView scoringData = mlContext.Data.LoadFromEnumerable(scoring);
        log.WriteLine($"{training.Count} simulated {settings.ImageSize}x{settings.ImageSize} images to train on, {scoring.Count} to score, in {folder}");

        // 2. The pipeline: read the images, train AD-GAN on them; the fitted model segments each image into labelled nuclei.
        var options = settings.Training ?? new AdGanSegmentationEstimator.Options
        {
            Iterations = settings.Iterations,
            DecayIterations = settings.DecayIterations,
            BaseChannels = settings.BaseChannels,
            CropSize = settings.CropSize,
            BatchSize = settings.BatchSize,
            // Synthetic nuclei of about the size of the real ones: the one prior AD-GAN needs.
            Masks = new SyntheticMaskOptions { SemiAxis = (settings.SemiAxis.Min, settings.SemiAxis.Max + 1), CountPerPatch = (1, 4), Coding = SyntheticMaskCoding.ThreeLevel },
            Tiling = new TilingOptions { TileSize = Math.Max(32, settings.CropSize) },
            Seed = settings.Seed,
            Threads = settings.Threads,
        };
        var pipeline = mlContext.Transforms.LoadMicroscopyImages("Image", "Path")
            .Append(mlContext.Nuclei().Segment(options));

        log.WriteLine("Training...");
        ITransformer model = pipeline.Fit(trainingData);
        IDataView scored = model.Transform(scoringData);

        // 3. Evaluate: add the true labels as a column (read from their files) and score the labelled instances.
        IDataView withTruth = mlContext.Transforms.LoadMicroscopyImages("Truth", "TruthPath").Fit(scored).Transform(scored);
        var metrics = mlContext.EvaluateSegmentation(withTruth, "Truth", "Instances", imageNameColumnName: "Path");
        log.WriteLine($"Dice {metrics.Dice:F3}  AJI {metrics.AggregatedJaccardIndex:F3}  F1@0.5 {metrics.F1At50:F3}  PQ {metrics.PanopticQuality:F3}");

        // 4. Save the fitted pipeline like any ML.NET model, load it back and check it labels the same.
        string zip = Path.Combine(folder, "model.zip");
        mlContext.Model.Save(model, trainingData.Schema, zip);
        ITransformer loaded = new MLContext().Model.Load(zip, out _);
        var labels = mlContext.Nuclei().ReadLabelMaps(scored).ToList();
        var reloaded = mlContext.Nuclei().ReadLabelMaps(loaded.Transform(scoringData)).ToList();
        bool agrees = labels.Count == reloaded.Count && labels.Zip(reloaded).All(pair => pair.First.Shape == pair.Second.Shape && pair.First.Data.SequenceEqual(pair.Second.Data));
        log.WriteLine($"Saved {zip}; the reloaded model gives {(agrees ? "identical" : "DIFFERENT")} label maps.");
        return new SampleResult(metrics, agrees, scoring.Count);
    }

    /// <summary>Writes simulated images (8-bit PNG) and their exact labels (16-bit PNG) into the folder: the training images, then the held-back ones.</summary>
    private static (List<ImageFile> Training, List<ImageFile> Scoring) SimulateDataset(SampleSettings settings, string folder)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(settings.ImageSize, settings.ImageSize),
            SemiAxis = settings.SemiAxis,
            CountPerImage = settings.CountPerImage ?? (3, Math.Max(4, settings.ImageSize * settings.ImageSize / 400)),
            Seed = settings.Seed,
        });
        var files = new List<ImageFile>();
        for (int i = 0; i < settings.ImageCount + settings.HeldBackImages; i++)
        {
            var simulated = simulator.Simulate(i);
            var file = new ImageFile { Path = Path.Combine(folder, $"image{i:D3}.png"), TruthPath = Path.Combine(folder, $"image{i:D3}.labels.png") };
            MicroscopyImageWriter.Write(file.Path, simulated.Image, IntensityScaling.Raw(8));
            MicroscopyImageWriter.WriteLabels(file.TruthPath, simulated.Labels);
            files.Add(file);
        }

        var training = files.Take(settings.ImageCount).ToList();
        return (training, settings.HeldBackImages > 0 ? files.Skip(settings.ImageCount).ToList() : training);
    }
}
