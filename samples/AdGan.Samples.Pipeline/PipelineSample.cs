using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.Data;

namespace AdGan.Samples.Pipeline;

/// <summary>
/// Unsupervised nuclei segmentation as an ML.NET pipeline: load images -> train AD-GAN and decode -> label instances,
/// then evaluate against true labels, save the fitted pipeline, load it back and check it gives the same answers.
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

        // 1. The data: image files. AD-GAN learns without labels; the simulator's exact labels are kept for evaluation only.
        var files = SimulateDataset(settings, folder);
        IDataView data = mlContext.Data.LoadFromEnumerable(files);
        log.WriteLine($"{files.Count} simulated {settings.ImageSize}x{settings.ImageSize} images in {folder}");

        // 2. The pipeline: read the images, train AD-GAN on them and decode each image, then split the decoded map into nuclei.
        var pipeline = mlContext.Transforms.LoadMicroscopyImages("Image", "Path")
            .Append(mlContext.Transforms.SegmentNucleiWithAdGan(new AdGanSegmentationEstimator.Options
            {
                Iterations = settings.Iterations,
                DecayIterations = settings.DecayIterations,
                BaseChannels = settings.BaseChannels,
                CropSize = settings.CropSize,
                BatchSize = settings.BatchSize,
                // Synthetic nuclei of about the size of the real ones: the one prior AD-GAN needs.
                Masks = new SyntheticMaskOptions { SemiAxis = (4, 8), CountPerPatch = (1, 4), Coding = SyntheticMaskCoding.Instance },
                Tiling = new TilingOptions { TileSize = Math.Max(32, settings.CropSize) },
                Seed = settings.Seed,
                Log = message => log.WriteLine("  " + message),
            }))
            .Append(mlContext.Transforms.LabelInstances("Instances", "Decoded"));

        log.WriteLine("Training...");
        ITransformer model = pipeline.Fit(data);
        IDataView scored = model.Transform(data);

        // 3. Evaluate: join the true labels as a column (read from their files) and score the labelled instances.
        IDataView withTruth = mlContext.Transforms.LoadMicroscopyImages("Truth", "TruthPath").Fit(scored).Transform(scored);
        var metrics = mlContext.EvaluateSegmentation(withTruth, "Truth", "Instances", imageNameColumnName: "Path");
        log.WriteLine($"Dice {metrics.Dice:F3}  AJI {metrics.AggregatedJaccardIndex:F3}  F1@0.5 {metrics.F1At50:F3}");

        // 4. Save the fitted pipeline like any ML.NET model, load it back and check it labels the same.
        string zip = Path.Combine(folder, "model.zip");
        mlContext.Model.Save(model, data.Schema, zip);
        ITransformer loaded = new MLContext().Model.Load(zip, out _);
        bool agrees = Labels(scored).Zip(Labels(loaded.Transform(data))).All(pair => pair.First.SequenceEqual(pair.Second));
        log.WriteLine($"Saved {zip}; the reloaded model gives {(agrees ? "identical" : "DIFFERENT")} label maps.");
        return new SampleResult(metrics, agrees, files.Count);
    }

    /// <summary>Writes simulated images (8-bit PNG) and their exact labels (16-bit PNG) into the folder.</summary>
    private static List<ImageFile> SimulateDataset(SampleSettings settings, string folder)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(settings.ImageSize, settings.ImageSize),
            SemiAxis = (4, 8),
            CountPerImage = (3, Math.Max(4, settings.ImageSize * settings.ImageSize / 400)),
            Seed = settings.Seed,
        });
        var files = new List<ImageFile>();
        for (int i = 0; i < settings.ImageCount; i++)
        {
            var simulated = simulator.Simulate(i);
            var file = new ImageFile { Path = Path.Combine(folder, $"image{i:D3}.png"), TruthPath = Path.Combine(folder, $"image{i:D3}.labels.png") };
            MicroscopyImageWriter.Write(file.Path, simulated.Image, IntensityScaling.Raw(8));
            MicroscopyImageWriter.WriteLabels(file.TruthPath, simulated.Labels);
            files.Add(file);
        }

        return files;
    }

    /// <summary>The "Instances" column: one label map per row.</summary>
    private static List<uint[]> Labels(IDataView scored)
        => scored.GetColumn<VBuffer<uint>>("Instances").Select(v => v.DenseValues().ToArray()).ToList();
}
