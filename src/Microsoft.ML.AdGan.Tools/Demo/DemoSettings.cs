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
        Training = VolumeTraining(),
    };

    /// <summary>The 2D demo's training: the CPU preset with crop 64, ngf 16, batch 4, style MLP 64, pictures every 100 and metrics every 10 iterations, planned for 4 minutes.</summary>
    private static AdGanTrainerOptions ImageTraining()
    {
        var o = new AdGanTrainerOptions();
        o.CropSize = 64;
        o.BaseChannels = 16;
        o.BatchSize = 4;
        o.StyleMlpWidth = 64;
        o.SnapshotEvery = 100;
        o.MetricsEvery = 10;
        o.TimeBudget = TimeSpan.FromMinutes(4);
        return o;
    }

    /// <summary>The 3D demo's training: the CPU volume preset (crop 24 x 32 x 32, ngf 8, batch 2), pictures every 50 and metrics every 10 iterations, planned for 30 minutes.</summary>
    private static AdGanTrainerOptions VolumeTraining()
    {
        var o = AdGanPresets.Cpu3D();
        o.SnapshotEvery = 50;
        o.MetricsEvery = 10;
        o.TimeBudget = TimeSpan.FromMinutes(30);
        return o;
    }

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

    /// <summary>True when the demo runs on volumes.</summary>
    public bool Is3D => Depth > 0;

    /// <summary>Depth of the simulated volumes on cubic voxels (before keeping every ZStep-th slice); 1 for images.</summary>
    public int SimulatedDepth => Is3D ? Depth * ZStep : 1;

    /// <summary>Semi-major axis range of simulated nuclei in pixels; the synthetic masks use the same prior. Default (8, 12).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (8, 12);

    /// <summary>Nuclei per simulated image; sets the synthetic masks' count per crop by area. Default (25, 40).</summary>
    public (int Min, int Max) CountPerImage { get; set; } = (25, 40);

    /// <summary>Seed of the simulation and of training (it replaces <c>Training.Seed</c>). Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Training settings: network and crop sizes, threads, pictures, metrics and the schedule, either a
    /// <see cref="AdGanTrainerOptions.TimeBudget"/> the iterations are planned within or, without one, the fixed
    /// Iterations + DecayIterations (<see cref="UseIterations"/>). <see cref="TrainerOptions"/> replaces the mask priors,
    /// tiling, dimensions and seed with those the simulation implies. Default: the CPU preset with crop 64, ngf 16, batch 4,
    /// style MLP 64, pictures every 100 and metrics every 10 iterations, planned for 4 minutes.
    /// </summary>
    public AdGanTrainerOptions Training { get; set; } = ImageTraining();

    /// <summary>Trains for a fixed <paramref name="total"/> iterations (half constant, half linear decay of the learning rate) instead of a time budget.</summary>
    public void UseIterations(int total)
    {
        if (total < 1)
            throw new ArgumentOutOfRangeException(nameof(total), total, "A fixed schedule needs at least 1 iteration.");
        Training.Iterations = (total + 1) / 2;
        Training.DecayIterations = total / 2;
        Training.TimeBudget = null;
    }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory must name a folder.", nameof(OutputDirectory));
        if (Training is null)
            throw new ArgumentNullException(nameof(Training), "Training must hold the trainer options.");
        if (TrainImages < 1)
            throw new ArgumentOutOfRangeException(nameof(TrainImages), TrainImages, "TrainImages must be at least 1.");
        if (TestImages < 1)
            throw new ArgumentOutOfRangeException(nameof(TestImages), TestImages, "TestImages must be at least 1.");
        if (ImageSize < Training.CropSize)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, $"ImageSize must be at least the crop size {Training.CropSize}.");
        if (Depth < 0)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth must be 0 (images) or a number of slices.");
        if (Is3D && ZStep < 1)
            throw new ArgumentOutOfRangeException(nameof(ZStep), ZStep, "ZStep must be at least 1.");
        if (Is3D && SimulatedDepth < Training.CropDepth)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"Depth x ZStep ({SimulatedDepth}) must be at least the crop depth {Training.CropDepth}.");
        if (Is3D && !(PixelSize > 0 && double.IsFinite(PixelSize)))
            throw new ArgumentOutOfRangeException(nameof(PixelSize), PixelSize, "PixelSize must be positive.");
        if (SemiAxis.Min < 1 || SemiAxis.Max < SemiAxis.Min)
            throw new ArgumentOutOfRangeException(nameof(SemiAxis), SemiAxis, "SemiAxis must satisfy 1 <= Min <= Max.");
        if (CountPerImage.Min < 1 || CountPerImage.Max < CountPerImage.Min)
            throw new ArgumentOutOfRangeException(nameof(CountPerImage), CountPerImage, "CountPerImage must satisfy 1 <= Min <= Max.");
        if (Training.TimeBudget is null && Training.TotalIterations < 1)
            throw new ArgumentException("Set either Training.TimeBudget (a planned budget) or Training.Iterations and DecayIterations (a fixed schedule, see UseIterations).",
                $"{nameof(Training)}.{nameof(AdGanTrainerOptions.TimeBudget)}");
        TrainerOptions().Validate();
    }

    /// <summary>A copy of <see cref="Training"/> with what the simulation implies: mask priors from its nucleus sizes, tiling from the image size, dimensions and seed.</summary>
    public AdGanTrainerOptions TrainerOptions()
    {
        var o = Training.CloneWithOwnMasks();
        o.Seed = Seed;
        o.Masks.SemiAxis = (SemiAxis.Min, SemiAxis.Max + 1); // mask ranges exclude their maximum
        o.Masks.CountPerPatch = CountPerCrop();
        o.Dimensions = Is3D ? 3 : 2;
        // Instance normalisation sees one tile at a time, so volume tiles stay close to the crop size.
        o.Tiling = Is3D
            ? new Inference.TilingOptions { TileSize = Inference.TiledInference.RoundUp(o.CropSize * 3 / 2), TileDepth = o.CropDepth, Overlap = 0.25, Statistics = Inference.TileStatistics.Tile }
            : new Inference.TilingOptions { TileSize = Math.Max(ImageSize, 32) };
        return o;
    }

    /// <summary>Synthetic nuclei per training crop: the simulation's count per image scaled by area, or by volume on the cubic grid (at least 1).</summary>
    public (int Min, int Max) CountPerCrop()
    {
        double area = (double)Training.CropSize * Training.CropSize / ((double)ImageSize * ImageSize);
        if (Is3D)
            area *= (double)Training.CropDepth / SimulatedDepth;
        int min = Math.Max(1, (int)Math.Floor(CountPerImage.Min * area));
        int max = Math.Max(min + 1, (int)Math.Ceiling(CountPerImage.Max * area));
        return (min, max);
    }
}
