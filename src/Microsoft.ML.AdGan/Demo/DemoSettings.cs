using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Demo;

/// <summary>
/// Settings of <see cref="DemoRunner"/>: a simulated data set, a short CPU training run and the report. Defaults are sized
/// for about 5 minutes on 2 CPU cores (4 minutes of training plus simulation, inference, evaluation and pictures).
/// </summary>
public sealed class DemoSettings
{
    /// <summary>Folder the report, model and pictures are written to (created). Default "adgan-demo".</summary>
    public string OutputDirectory { get; set; } = "adgan-demo";

    /// <summary>Simulated images used (without labels) for training. Default 12.</summary>
    public int TrainImages { get; set; } = 12;

    /// <summary>Simulated images held back for evaluation against the simulation's truth. Default 4.</summary>
    public int TestImages { get; set; } = 4;

    /// <summary>Height and width of the simulated images in pixels. Default 256.</summary>
    public int ImageSize { get; set; } = 256;

    /// <summary>Semi-major axis range of simulated nuclei in pixels; the synthetic masks use the same prior. Default (8, 12).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (8, 12);

    /// <summary>Nuclei per simulated image; sets the synthetic masks' count per crop by area. Default (25, 40).</summary>
    public (int Min, int Max) CountPerImage { get; set; } = (25, 40);

    /// <summary>Seed of the simulation and of training. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Training stops after this many minutes even if iterations remain; null for no limit. Default 4.</summary>
    public double? TrainingMinutes { get; set; } = 4;

    /// <summary>Total training iterations (half constant, half linear decay of the learning rate). Default 400.</summary>
    public int Iterations { get; set; } = 400;

    /// <summary>Training crop size (multiple of 4, at least 24). Default 48.</summary>
    public int CropSize { get; set; } = 48;

    /// <summary>Base channel count ngf. Default 8.</summary>
    public int BaseChannels { get; set; } = 8;

    /// <summary>Crops per iteration. Default 4.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Hidden width of the style MLPs. Default 64.</summary>
    public int StyleMlpWidth { get; set; } = 64;

    /// <summary>Torch threads; null keeps the process setting. Default null.</summary>
    public int? Threads { get; set; }

    /// <summary>Iterations between training pictures (loss plot, sample translations). Default 100.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>Iterations between loss records and progress callbacks. Default 10.</summary>
    public int MetricsEvery { get; set; } = 10;

    /// <summary>Receives losses, speed and ETA every <see cref="MetricsEvery"/> iterations (a progress bar, say).</summary>
    public Action<AdGanTrainingMetrics>? MetricsCallback { get; set; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory must name a folder.", nameof(OutputDirectory));
        if (TrainImages < 1)
            throw new ArgumentOutOfRangeException(nameof(TrainImages), TrainImages, "TrainImages must be at least 1.");
        if (TestImages < 1)
            throw new ArgumentOutOfRangeException(nameof(TestImages), TestImages, "TestImages must be at least 1.");
        if (ImageSize < CropSize)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, $"ImageSize must be at least the crop size {CropSize}.");
        if (SemiAxis.Min < 1 || SemiAxis.Max < SemiAxis.Min)
            throw new ArgumentOutOfRangeException(nameof(SemiAxis), SemiAxis, "SemiAxis must satisfy 1 <= Min <= Max.");
        if (CountPerImage.Min < 1 || CountPerImage.Max < CountPerImage.Min)
            throw new ArgumentOutOfRangeException(nameof(CountPerImage), CountPerImage, "CountPerImage must satisfy 1 <= Min <= Max.");
        if (TrainingMinutes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(TrainingMinutes), TrainingMinutes, "TrainingMinutes must be positive when set.");
        if (Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Iterations must be at least 1.");
        if (SnapshotEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "SnapshotEvery must be at least 1.");
        if (MetricsEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(MetricsEvery), MetricsEvery, "MetricsEvery must be at least 1.");
        TrainerOptions().Validate();
    }

    /// <summary>The trainer options these settings imply (CPU preset resized; mask priors from the simulation's).</summary>
    public AdGanTrainerOptions TrainerOptions()
    {
        var o = AdGanPresets.Cpu();
        o.Iterations = (Iterations + 1) / 2;
        o.DecayIterations = Iterations / 2;
        o.CropSize = CropSize;
        o.BaseChannels = BaseChannels;
        o.BatchSize = BatchSize;
        o.StyleMlpWidth = StyleMlpWidth;
        o.Seed = Seed;
        o.Threads = Threads;
        o.MaxMinutes = TrainingMinutes;
        o.MetricsEvery = MetricsEvery;
        o.SnapshotEvery = SnapshotEvery;
        o.MetricsCallback = MetricsCallback;
        o.Masks.SemiAxis = (SemiAxis.Min, SemiAxis.Max + 1); // mask ranges exclude their maximum
        o.Masks.CountPerPatch = CountPerCrop();
        o.Tiling = new Inference.TilingOptions { TileSize = Math.Max(ImageSize, 32) };
        return o;
    }

    /// <summary>Synthetic nuclei per training crop: the simulation's count per image scaled by area (at least 1).</summary>
    public (int Min, int Max) CountPerCrop()
    {
        double area = (double)CropSize * CropSize / ((double)ImageSize * ImageSize);
        int min = Math.Max(1, (int)Math.Floor(CountPerImage.Min * area));
        int max = Math.Max(min + 1, (int)Math.Ceiling(CountPerImage.Max * area));
        return (min, max);
    }
}
