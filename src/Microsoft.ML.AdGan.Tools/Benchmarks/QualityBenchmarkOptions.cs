using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// Settings of <see cref="QualityBenchmark"/>: which images and truth masks, the AD-GAN training run to repeat per seed, and the
/// classical baseline it is compared with. Defaults: every image of the folder, one seed, the CPU preset, the baseline's own
/// defaults at the AD-GAN working scale.
/// </summary>
public sealed class QualityBenchmarkOptions
{
    /// <summary>Folder of the images; training sees these images only (required unless <see cref="Simulation"/> is set).</summary>
    public string ImageFolder { get; set; } = "";

    /// <summary>Folder of the instance label maps, one per image with the same file name stem (required unless <see cref="Simulation"/> is set; used only to score).</summary>
    public string TruthFolder { get; set; } = "";

    /// <summary>
    /// Simulate the images instead of reading them (for example <see cref="MicroscopySimulationOptions.DimBesideBright"/>); the
    /// exact labels are the truth, and where the simulation makes a few nuclei bright the report adds the recall of the others.
    /// Default null (read the folders).
    /// </summary>
    public MicroscopySimulationOptions? Simulation { get; set; }

    /// <summary>Number of simulated images (indices 0 to N - 1 of the simulation's seed) with <see cref="Simulation"/>. Default 8.</summary>
    public int SimulatedImages { get; set; } = 8;

    /// <summary>File name stems of the images to use (for example one group of an image description); null uses every image.</summary>
    public IReadOnlyList<string>? Names { get; set; }

    /// <summary>What the selection is called in the report (for example the group name); null: the image folder.</summary>
    public string? SelectionName { get; set; }

    /// <summary>The training run (its Seed is the first seed; TimeBudget plans each seed's training). Default: the CPU preset.</summary>
    public AdGanTrainerOptions Training { get; set; } = new AdGanTrainerOptions();

    /// <summary>Training runs, with seeds Training.Seed, Training.Seed + 1, ... Default 1.</summary>
    public int Seeds { get; set; } = 1;

    /// <summary>Folder where each seed's trained model is saved as seed-N.zip (with seed-N.json: iterations and minutes); null: not saved. Default null.</summary>
    public string? ModelFolder { get; set; }

    /// <summary>Load each seed's model from <see cref="ModelFolder"/> instead of training it (to compare inference and labelling levers on the same models). Default false.</summary>
    public bool ReuseModels { get; set; }

    /// <summary>Folder where each seed's label maps are written (seed-N/NAME.png, 16-bit); null: not written. Default null.</summary>
    public string? PredictionFolder { get; set; }

    /// <summary>How decoded maps become instances (set in the model's settings before <see cref="ConfigureInference"/>). Default <see cref="AdGanDecoding.Split"/>.</summary>
    public AdGanDecoding Decoding { get; set; } = AdGanDecoding.Split;

    /// <summary>Returns the inference settings the trained model segments with, from its own (levers such as test-time augmentation); null: its own.</summary>
    public Func<AdGanInferenceSettings, AdGanInferenceSettings>? ConfigureInference { get; set; }

    /// <summary>Changes the instance labelling of the decoded maps (thresholds, growth); null: the model's thresholds and defaults.</summary>
    public Action<InstanceLabelOptions>? ConfigureLabeling { get; set; }

    /// <summary>Decodings the student is scored with when the model carries one (a row each); empty: the student's own. Default empty.</summary>
    public IReadOnlyList<StudentDecoding> StudentDecodings { get; set; } = Array.Empty<StudentDecoding>();

    /// <summary>Changes the instance labelling of the student's maps (after the labelling the student's decoding calls for); null: as it is.</summary>
    public Action<InstanceLabelOptions>? ConfigureStudentLabeling { get; set; }

    /// <summary>The classical baseline's settings. Default: its defaults (Otsu, min diameter 10 px at the baseline scale).</summary>
    public ThresholdSegmentationOptions Baseline { get; set; } = new();

    /// <summary>The baseline's jitter seeds; its figures are the means over them (one run when its jitter is off). Default 0 to 4.</summary>
    public IReadOnlyList<int> BaselineSeeds { get; set; } = BaselineBenchmark.DefaultSeeds;

    /// <summary>Scale at which the baseline segments (labels come back at full size); null: the AD-GAN working scale. Default null.</summary>
    public double? BaselineScale { get; set; }

    /// <summary>Receives progress messages (priors, training lines, per-seed results); null: none.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Simulation is null && string.IsNullOrWhiteSpace(ImageFolder))
            throw new ArgumentException("ImageFolder is required.", nameof(ImageFolder));
        if (Simulation is null && string.IsNullOrWhiteSpace(TruthFolder))
            throw new ArgumentException("TruthFolder is required.", nameof(TruthFolder));
        if (Simulation is not null)
        {
            Simulation.Validate();
            if (Simulation.Shape.Is3D)
                throw new ArgumentException("The quality benchmark scores 2D images only; the simulation makes volumes.", nameof(Simulation));
            if (SimulatedImages < 1)
                throw new ArgumentOutOfRangeException(nameof(SimulatedImages), SimulatedImages, "SimulatedImages must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(BaselineSeeds, nameof(BaselineSeeds));
        if (BaselineSeeds.Count == 0 || BaselineSeeds.Any(s => s < 0))
            throw new ArgumentException("BaselineSeeds needs at least one seed, none negative.", nameof(BaselineSeeds));
        if (Seeds < 1)
            throw new ArgumentOutOfRangeException(nameof(Seeds), Seeds, "Seeds must be at least 1.");
        if (BaselineScale is double s && !(s > 0 && s <= 16))
            throw new ArgumentOutOfRangeException(nameof(BaselineScale), s, "BaselineScale must lie in (0, 16] when set.");
        if (ReuseModels && string.IsNullOrWhiteSpace(ModelFolder))
            throw new ArgumentException("ReuseModels needs the ModelFolder the models were saved to.", nameof(ReuseModels));
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        ArgumentNullException.ThrowIfNull(Baseline, nameof(Baseline));
        if (Training.Dimensions != 2)
            throw new ArgumentOutOfRangeException(nameof(Training), Training.Dimensions, "The quality benchmark scores 2D images only.");
        Training.Validate();
    }
}
