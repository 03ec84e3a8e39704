using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Everything a training run needs besides the images. The defaults are sized for a CPU (crop 96, ngf 16, batch 4,
/// 1000 + 1000 iterations); <see cref="AdGanPresets"/> holds the paper's configuration and the volume ones.
/// </summary>
public class AdGanTrainerOptions
{
    /// <summary>Iterations at the constant learning rate. Default 1000.</summary>
    public int Iterations { get; set; } = 1000;

    /// <summary>Further iterations over which the learning rate decays linearly to zero. Default 1000.</summary>
    public int DecayIterations { get; set; } = 1000;

    /// <summary>Side of the square training crops and synthetic masks, in pixels at the working scale (multiple of 4). Default 96.</summary>
    public int CropSize { get; set; } = 96;

    /// <summary>Depth of training sub-volumes for 3D data (multiple of 4). Default 32.</summary>
    public int CropDepth { get; set; } = 32;

    /// <summary>Crops (and masks) per iteration. Default 4.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Base channel count ngf of encoder, decoder and discriminator. Default 16.</summary>
    public int BaseChannels { get; set; } = 16;

    /// <summary>Hidden width of the style MLPs. Default 64 (the authors' code).</summary>
    public int StyleMlpWidth { get; set; } = 64;

    /// <summary>2 for images, 3 for volumes. Default 2.</summary>
    public int Dimensions { get; set; } = 2;

    /// <summary>
    /// Number format of the convolutions during training. Default <see cref="ComputePrecision.Float32"/> (faithful);
    /// <see cref="ComputePrecision.BFloat16Mixed"/> keeps float32 weights, optimiser state, normalisation and losses and
    /// convolves in bfloat16 (about 1.5-2x faster on CPUs with AVX-512-BF16 or AMX; much slower without, and the trainer
    /// logs a warning then, see <see cref="BFloat16Support"/>).
    /// </summary>
    public ComputePrecision Precision { get; set; } = ComputePrecision.Float32;

    /// <summary>Optimiser, loss weights, ADT and history pools of each iteration.</summary>
    public AdGanStepOptions Step { get; set; } = new();

    /// <summary>
    /// Priors of the synthetic masks (semi-axis, count, coding, eccentricity, rejections). Training takes the patch shape
    /// from <see cref="CropSize"/> (and <see cref="CropDepth"/>) and the seed from <see cref="Seed"/>
    /// (<see cref="MaskOptions"/>), so <c>Masks.PatchShape</c> and <c>Masks.Seed</c> set here are not used.
    /// </summary>
    public SyntheticMaskOptions Masks { get; set; } = new() { SemiAxis = (10, 15), CountPerPatch = (3, 8), Coding = SyntheticMaskCoding.ThreeLevel };

    /// <summary>
    /// When set, training first estimates Masks.SemiAxis and Masks.CountPerPatch (per crop) from the training
    /// images before training, and ImageScale too when its TargetRadius is set (otherwise the images are measured at ImageScale).
    /// The estimator and <c>adgan train --priors auto</c> do this. Default null: Masks and ImageScale are used as given.
    /// </summary>
    public PriorEstimationOptions? PriorEstimation { get; set; }

    /// <summary>Random rotation and flips of image crops.</summary>
    public AugmentationOptions Augmentation { get; set; } = new();

    /// <summary>Images are resized by this factor for training and inference (results come back at the original size). Default 1.</summary>
    public double ImageScale { get; set; } = 1.0;

    /// <summary>
    /// Each image, in training and at inference, is resized by its own factor that brings its measured median nucleus
    /// semi-axis to <see cref="PriorEstimationOptions.TargetRadius"/> (within a factor 4 of <see cref="ImageScale"/>), and the
    /// priors describe the nuclei at that size: for collections that mix magnifications. Needs
    /// <see cref="PriorEstimation"/> with a TargetRadius; 2D only. Default false: one <see cref="ImageScale"/> for all.
    /// </summary>
    public bool PerImageScale { get; set; }

    /// <summary>How training images are resized: <see cref="ImageScale"/>, or each image's own with <see cref="PerImageScale"/>.</summary>
    internal ImageScaling Scaling() => new(ImageScale, PerImageScale ? PriorEstimation?.TargetRadius : null);

    /// <summary>How raw intensities are mapped to [-1, 1].</summary>
    public IntensityNormalizerOptions Normalization { get; set; } = new();

    /// <summary>Tile geometry of inference with the trained model.</summary>
    public TilingOptions Tiling { get; set; } = new();

    /// <summary>
    /// Decay of an exponential moving average of the encoder and decoder weights that the trained model gets instead of the
    /// last weights (kept in checkpoints, so resuming stays exact); the first updates use min(decay, (1 + n) / (10 + n)).
    /// Typical values 0.99-0.999. Default 0: off, the model gets the last weights (faithful).
    /// </summary>
    public double GeneratorAverageDecay { get; set; }

    /// <summary>
    /// When set, a student network is trained after AD-GAN on the generator's translations of fresh synthetic masks
    /// (<see cref="StudentTrainingOptions"/>) and saved in the model (<see cref="AdGanSegmentationModel.Student"/>); images only, volumes
    /// skip it. Default null: no student.
    /// </summary>
    public StudentTrainingOptions? Student { get; set; }

    /// <summary>Seed of weights, crops, masks and pools. Default 10 (the reference's).</summary>
    public int Seed { get; set; } = 10;

    /// <summary>Torch intra-op threads; null keeps the process setting. Fix it for bit-reproducible runs.</summary>
    public int? Threads { get; set; }

    /// <summary>
    /// When set, training measures its speed during the first iterations and plans the schedule to end within this time
    /// (within <see cref="TimeBudgetMargin"/> and <see cref="TimeBudgetReserve"/>): the total replaces Iterations + DecayIterations, whose ratio keeps the
    /// decaying phase's share; the trainer logs the plan. Default null: Iterations and DecayIterations as given.
    /// </summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>Share of <see cref="TimeBudget"/> the plan leaves unused at the end against slow-downs. Default 0.05.</summary>
    public double TimeBudgetMargin { get; set; } = 0.05;

    /// <summary>
    /// Share of <see cref="TimeBudget"/> kept for work after AD-GAN's schedule (a student network's training, say): AD-GAN's
    /// plan ends by the budget less this share and the margin. Default 0.
    /// </summary>
    public double TimeBudgetReserve { get; set; }

    /// <summary>Folder for periodic checkpoints; null disables them.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Iterations between checkpoints. Default 500.</summary>
    public int CheckpointEvery { get; set; } = 500;

    /// <summary>
    /// Minutes of training after which a checkpoint is also written, whatever the iteration (large settings can take minutes per
    /// iteration, so <see cref="CheckpointEvery"/> alone may leave hours unsaved); null writes by iteration only. Default 10.
    /// </summary>
    public double? CheckpointMinutes { get; set; } = 10;

    /// <summary>Folder for training pictures (losses.png and translations_NNNNNN.png, as the authors' code writes them); null disables them.</summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>Iterations between training pictures (the last iteration always gets one). Default 100.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>Checkpoint file to resume from; null starts fresh.</summary>
    public string? ResumeFrom { get; set; }

    /// <summary>Iterations between metrics callbacks and log lines. Default 50.</summary>
    public int MetricsEvery { get; set; } = 50;

    /// <summary>Receives losses, speed and ETA every <see cref="MetricsEvery"/> iterations.</summary>
    public Action<AdGanTrainingMetrics>? MetricsCallback { get; set; }

    /// <summary>Synthetic mask batches prepared ahead by the background producer. Default 4.</summary>
    public int MaskPrefetch { get; set; } = 4;

    /// <summary>Memory budget for cached training images read lazily from files, in bytes. Default 2 GiB.</summary>
    public long ImageCacheBytes { get; set; } = 2L << 30;

    /// <summary>Total iterations (constant plus decay); with a <see cref="TimeBudget"/>, the plan sets the total instead.</summary>
    public int TotalIterations => Iterations + DecayIterations;

    /// <summary>The planner of <see cref="TimeBudget"/> (null without one): the decaying phase keeps its share of Iterations + DecayIterations.</summary>
    internal TrainingBudgetPlanner? BudgetPlanner() => TimeBudget is TimeSpan budget
        ? new TrainingBudgetPlanner(budget, DecayIterations / (double)TotalIterations, TimeBudgetMargin, TimeBudgetReserve)
        : null;

    /// <summary>Network options implied by these settings.</summary>
    public AdGanNetworkOptions NetworkOptions() => new()
    {
        BaseChannels = BaseChannels,
        Dimensions = Dimensions,
        StyleMlpWidth = StyleMlpWidth,
        Seed = Seed,
        ComputePrecision = Precision,
    };

    /// <summary>The mask options training uses: <see cref="Masks"/> with the patch shape of the training crops and <see cref="Seed"/>.</summary>
    public SyntheticMaskOptions MaskOptions()
    {
        var masks = Masks.Clone();
        masks.PatchShape = Dimensions == 3 ? ImageShape.Of3D(CropDepth, CropSize, CropSize) : ImageShape.Of2D(CropSize, CropSize);
        masks.Seed = Seed;
        return masks;
    }

    /// <summary>Inference settings recorded in the trained model.</summary>
    public AdGanInferenceSettings InferenceSettings() => new()
    {
        BaseChannels = BaseChannels,
        StyleMlpWidth = StyleMlpWidth,
        Dimensions = Dimensions,
        Coding = Masks.Coding,
        ImageScale = ImageScale,
        Normalization = Normalization,
        Tiling = Tiling,
        PerImageScale = PerImageScale,
        // With a per-image scale each image is brought to the target radius, in training as at inference; otherwise
        // a = floor(U[Min, Max)) takes the integers Min..Max-1 with equal chance.
        TrainedSemiAxis = Scaling().PerImageSemiAxis
            ?? (Masks.SemiAxis.Max > Masks.SemiAxis.Min ? (Masks.SemiAxis.Min + Masks.SemiAxis.Max - 1) / 2.0 : Masks.SemiAxis.Min),
    };

    /// <summary>
    /// These options, or with a <see cref="TimeBudget"/> a copy whose budget is shortened by <paramref name="spent"/> (the time
    /// that preparing the run took before training); throws <see cref="InvalidOperationException"/> when nothing is left.
    /// </summary>
    internal AdGanTrainerOptions WithBudgetSpent(TimeSpan spent)
    {
        if (TimeBudget is not TimeSpan budget)
            return this;
        if (budget - spent <= TimeSpan.Zero)
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The {budget.TotalMinutes:0.##}-minute TimeBudget was spent before training started ({spent.TotalMinutes:0.##} min reading images and estimating priors)."));
        var copy = CloneWithOwnMasks();
        copy.TimeBudget = budget - spent;
        return copy;
    }

    /// <summary>A copy of these options (same runtime type) with its own mask options; other option objects are shared.</summary>
    internal AdGanTrainerOptions CloneWithOwnMasks()
    {
        var copy = (AdGanTrainerOptions)MemberwiseClone();
        copy.Masks = Masks.Clone();
        return copy;
    }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public virtual void Validate()
    {
        if (Iterations < 0)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Iterations must be >= 0.");
        if (DecayIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(DecayIterations), DecayIterations, "DecayIterations must be >= 0.");
        if (TotalIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), "Iterations + DecayIterations must be at least 1.");
        if (CropSize < 24 || CropSize % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(CropSize), CropSize, "CropSize must be a multiple of 4 and at least 24 (the discriminator's minimum).");
        if (Dimensions == 3 && (CropDepth < 24 || CropDepth % 4 != 0))
            throw new ArgumentOutOfRangeException(nameof(CropDepth), CropDepth, "CropDepth must be a multiple of 4 and at least 24 for volumes.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (CheckpointEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "CheckpointEvery must be at least 1.");
        if (CheckpointMinutes is not null && !(CheckpointMinutes > 0))
            throw new ArgumentOutOfRangeException(nameof(CheckpointMinutes), CheckpointMinutes, "CheckpointMinutes must be positive when set.");
        if (SnapshotEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "SnapshotEvery must be at least 1.");
        if (MetricsEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(MetricsEvery), MetricsEvery, "MetricsEvery must be at least 1.");
        if (MaskPrefetch < 1)
            throw new ArgumentOutOfRangeException(nameof(MaskPrefetch), MaskPrefetch, "MaskPrefetch must be at least 1.");
        if (Threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1 when set.");
        if (!(GeneratorAverageDecay >= 0 && GeneratorAverageDecay < 1))
            throw new ArgumentOutOfRangeException(nameof(GeneratorAverageDecay), GeneratorAverageDecay, "GeneratorAverageDecay must lie in [0, 1) (0 turns the average off).");
        if (TimeBudget is TimeSpan budget && budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeBudget), TimeBudget, "TimeBudget must be positive when set.");
        if (TimeBudget is not null && Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "A TimeBudget needs Iterations >= 1: the speed is measured in the constant phase, and Iterations : DecayIterations sets the phases' shares.");
        if (!(TimeBudgetMargin >= 0 && TimeBudgetReserve >= 0 && TimeBudgetMargin + TimeBudgetReserve < 1))
            throw new ArgumentOutOfRangeException(nameof(TimeBudgetReserve), TimeBudgetReserve, $"TimeBudgetMargin ({TimeBudgetMargin}) and TimeBudgetReserve must be >= 0 and leave some of the budget (sum below 1).");
        if (PerImageScale && PriorEstimation?.TargetRadius is null)
            throw new ArgumentException("PerImageScale needs PriorEstimation with a TargetRadius: the nucleus size every image is brought to.", nameof(PerImageScale));
        PriorEstimation?.Validate();
        Student?.Validate();
        NetworkOptions().Validate();
        Step.Validate();
        MaskOptions().Validate();
        Augmentation.Validate();
        InferenceSettings().Validate();
    }
}
