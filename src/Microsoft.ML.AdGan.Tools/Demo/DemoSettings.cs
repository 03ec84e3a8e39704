using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tools.Demo;

/// <summary>
/// Settings of <see cref="DemoRunner"/>: a simulated data set, a short CPU training run and the report. Defaults are sized
/// for about 5 minutes on 2 CPU cores (4 minutes of training plus simulation, inference, evaluation and pictures).
/// <see cref="Volumes"/> gives the 3D variant (confocal-like stacks with a coarser Z step).
/// </summary>
public sealed class DemoSettings
{
    /// <summary>
    /// Settings of the 3D demo and of the volume benchmark: 6 training and 2 held-back stacks of 24 x 96 x 96 voxels of
    /// 1 x 0.5 x 0.5 um (simulated on cubic voxels, every second slice kept), resampled to 48 x 96 x 96 cubic voxels for
    /// training and inference; the <see cref="AdGanPresets.Cpu3D"/> network (sub-volumes 24 x 32 x 32, ngf 8, batch 2);
    /// training planned for 30 minutes (shorter 3D runs learn next to nothing).
    /// </summary>
    public static DemoSettings Volumes() => new()
    {
        OutputDirectory = "adgan-demo-3d",
        TrainImages = 6,
        TestImages = 2,
        ImageSize = 96,
        Depth = 24,
        ZStep = 2,
        SemiAxis = (5, 8),
        CountPerImage = (40, 70),
        TrainingMinutes = 30,
        CropSize = 32,
        CropDepth = 24,
        BaseChannels = 8,
        BatchSize = 2,
        SnapshotEvery = 50,
    };

    /// <summary>Folder the report, model and pictures are written to (created). Default "adgan-demo".</summary>
    public string OutputDirectory { get; set; } = "adgan-demo";

    /// <summary>Simulated images used (without labels) for training. Default 12.</summary>
    public int TrainImages { get; set; } = 12;

    /// <summary>Simulated images held back for evaluation against the simulation's truth. Default 4.</summary>
    public int TestImages { get; set; } = 4;

    /// <summary>Height and width of the simulated images in pixels. Default 256.</summary>
    public int ImageSize { get; set; } = 256;

    /// <summary>Slices of each simulated volume as stored (0 = 2D images). Default 0.</summary>
    public int Depth { get; set; }

    /// <summary>Volumes: the simulation runs on cubic voxels and keeps every ZStep-th slice (Z voxel size = ZStep x <see cref="PixelSize"/>). Default 2.</summary>
    public int ZStep { get; set; } = 2;

    /// <summary>Volumes: in-plane voxel size in micrometres recorded in the files. Default 0.5.</summary>
    public double PixelSize { get; set; } = 0.5;

    /// <summary>Volumes: depth of the training sub-volumes on the cubic grid (multiple of 4, at least 24). Default 24.</summary>
    public int CropDepth { get; set; } = 24;

    /// <summary>True when the demo runs on volumes.</summary>
    public bool Is3D => Depth > 0;

    /// <summary>Depth of the simulated volumes on cubic voxels (before keeping every ZStep-th slice); 1 for images.</summary>
    public int SimulatedDepth => Is3D ? Depth * ZStep : 1;

    /// <summary>Semi-major axis range of simulated nuclei in pixels; the synthetic masks use the same prior. Default (8, 12).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (8, 12);

    /// <summary>Nuclei per simulated image; sets the synthetic masks' count per crop by area. Default (25, 40).</summary>
    public (int Min, int Max) CountPerImage { get; set; } = (25, 40);

    /// <summary>Seed of the simulation and of training. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Training time budget in minutes: the iterations (half constant, half linear decay of the learning rate) are planned
    /// from the speed measured in the first ones so that the schedule ends within it. Set either this or
    /// <see cref="Iterations"/>. Default 4.
    /// </summary>
    public double? TrainingMinutes { get; set; } = 4;

    /// <summary>
    /// Fixed total training iterations (half constant, half linear decay of the learning rate), for reproducible runs; set
    /// either this or <see cref="TrainingMinutes"/>. Default null: planned from the budget.
    /// </summary>
    public int? Iterations { get; set; }

    /// <summary>Training crop size (multiple of 4, at least 24). Default 64.</summary>
    public int CropSize { get; set; } = 64;

    /// <summary>Base channel count ngf. Default 16.</summary>
    public int BaseChannels { get; set; } = 16;

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
        if (Depth < 0)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth must be 0 (images) or a number of slices.");
        if (Is3D && ZStep < 1)
            throw new ArgumentOutOfRangeException(nameof(ZStep), ZStep, "ZStep must be at least 1.");
        if (Is3D && SimulatedDepth < CropDepth)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"Depth x ZStep ({SimulatedDepth}) must be at least the crop depth {CropDepth}.");
        if (Is3D && !(PixelSize > 0 && double.IsFinite(PixelSize)))
            throw new ArgumentOutOfRangeException(nameof(PixelSize), PixelSize, "PixelSize must be positive.");
        if (SemiAxis.Min < 1 || SemiAxis.Max < SemiAxis.Min)
            throw new ArgumentOutOfRangeException(nameof(SemiAxis), SemiAxis, "SemiAxis must satisfy 1 <= Min <= Max.");
        if (CountPerImage.Min < 1 || CountPerImage.Max < CountPerImage.Min)
            throw new ArgumentOutOfRangeException(nameof(CountPerImage), CountPerImage, "CountPerImage must satisfy 1 <= Min <= Max.");
        if (TrainingMinutes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(TrainingMinutes), TrainingMinutes, "TrainingMinutes must be positive when set.");
        if (Iterations is < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Iterations must be at least 1 when set.");
        if ((TrainingMinutes is null) == (Iterations is null))
            throw new ArgumentException("Set either TrainingMinutes (a planned budget) or Iterations (a fixed schedule), not both or neither.", nameof(Iterations));
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
        if (Iterations is int total)
        {
            o.Iterations = (total + 1) / 2;
            o.DecayIterations = total / 2;
        }
        else if (TrainingMinutes is double minutes)
        {
            o.TimeBudget = TimeSpan.FromMinutes(minutes);
        }
        o.CropSize = CropSize;
        o.BaseChannels = BaseChannels;
        o.BatchSize = BatchSize;
        o.StyleMlpWidth = StyleMlpWidth;
        o.Seed = Seed;
        o.Threads = Threads;
        o.MetricsEvery = MetricsEvery;
        o.SnapshotEvery = SnapshotEvery;
        o.MetricsCallback = MetricsCallback;
        o.Masks.SemiAxis = (SemiAxis.Min, SemiAxis.Max + 1); // mask ranges exclude their maximum
        o.Masks.CountPerPatch = CountPerCrop();
        o.Tiling = new Inference.TilingOptions { TileSize = Math.Max(ImageSize, 32) };
        if (Is3D)
        {
            o.Dimensions = 3;
            o.CropDepth = CropDepth;
            // Instance normalisation sees one tile at a time, so volume tiles stay close to the crop size.
            o.Tiling = new Inference.TilingOptions { TileSize = Inference.TiledInference.RoundUp(CropSize * 3 / 2), TileDepth = CropDepth, Overlap = 0.25, Statistics = Inference.TileStatistics.Tile };
        }
        return o;
    }

    /// <summary>Synthetic nuclei per training crop: the simulation's count per image scaled by area, or by volume on the cubic grid (at least 1).</summary>
    public (int Min, int Max) CountPerCrop()
    {
        double area = (double)CropSize * CropSize / ((double)ImageSize * ImageSize);
        if (Is3D)
            area *= (double)CropDepth / SimulatedDepth;
        int min = Math.Max(1, (int)Math.Floor(CountPerImage.Min * area));
        int max = Math.Max(min + 1, (int)Math.Ceiling(CountPerImage.Max * area));
        return (min, max);
    }
}
