using System.CommandLine;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>The training flags that `adgan train` and `adgan bench quality` share, and how they become trainer options.</summary>
internal sealed class TrainingArguments
{
    /// <summary>Median nucleus semi-axis (working pixels) that --priors auto aims at when neither --target-radius nor --scale is given.</summary>
    public const double DefaultTargetRadius = 12;

    private readonly Option<bool> _instance = new("--instance") { Description = "Learn 3-level instance masks (background, ring, core); the default." };
    private readonly Option<bool> _semantic = new("--semantic") { Description = "Learn semantic masks (background, nucleus) instead." };
    private readonly Option<string> _radius = new("--radius") { Description = "Semi-axis range of synthetic nuclei in pixels at the working scale, 'min,max' (max exclusive); giving it or --number selects --priors given. Default there 10,15." };
    private readonly Option<string> _number = new("--number") { Description = "Nuclei per crop, 'min,max' (inclusive); giving it or --radius selects --priors given. Default there 3,8." };
    private readonly Option<string> _preset = new("--preset") { Description = "cpu (crop 96, ngf 16, batch 4), paper (crop 256, ngf 64, batch 8), cpu3d (volumes: 24x32x32, ngf 8, batch 2) or paper3d (64x128x128, ngf 64, batch 2).", DefaultValueFactory = _ => "cpu" };
    private readonly Option<int?> _iterations = NumberArgument.Int("--iterations", "Total iterations (half constant, half linear decay).");
    private readonly Option<int?> _crop = NumberArgument.Int("--crop", "Crop size (multiple of 4).");
    private readonly Option<int?> _ngf = NumberArgument.Int("--ngf", "Base channel count.");
    private readonly Option<int?> _batch = NumberArgument.Int("--batch", "Batch size.");
    private readonly Option<double?> _scale = NumberArgument.Double("--scale", "Working scale: images are resized by this factor (results come back at full size).");
    private readonly Option<int?> _seed = NumberArgument.Int("--seed", "Random seed.");
    private readonly Option<int?> _threads = NumberArgument.Int("--threads", "Torch threads (fix for reproducible runs).");
    private readonly Option<string?> _precision = new("--precision") { Description = "float32 (faithful, default) or bf16 (bfloat16 convolutions, float32 weights and losses; about 2x faster on AVX-512-BF16 CPUs)." };
    private readonly Option<string?> _priors = new("--priors") { Description = "auto (the default for images without --radius or --number: estimate the radius and count ranges, and the working scale unless --scale is given, from the training images) or given (--radius, --number, --scale as given; defaults 10,15, 3,8 and 1). Volumes (--depth, cpu3d, paper3d) always use given priors: the estimation measures 2D images only." };
    private readonly Option<double?> _targetRadius = NumberArgument.Double("--target-radius", $"With auto priors: median nucleus semi-axis in pixels at the working scale that sets the scale (default {DefaultTargetRadius} when --scale is not given).");
    private readonly Option<bool> _perImageScale = new("--per-image-scale") { Description = "With auto priors: bring each image to the target radius from its own measured nucleus size, in training and when segmenting (collections that mix magnifications; within a factor 4 of the collection's scale)." };
    private readonly Option<NormalizationMode?> _normalization = new("--normalization") { Description = "Intensity normalisation of training and inference, stored in the model: Percentile (the default), Log (percentiles, then a logarithmic compression) or ForegroundMedian (the foreground's median maps to 0, so a few very bright nuclei do not set the scale for dim ones)." };
    private readonly Option<ThresholdMethod?> _priorsMethod = new("--priors-method") { Description = "With auto priors: threshold of the rough segmentation that measures the nuclei, Otsu (the default), Li, LogOtsu (on log intensities: dim nuclei beside bright ones) or Local." };
    private readonly StudentArguments _student = new();
    private readonly Option<double?> _average = NumberArgument.Double("--ema", "Decay of a moving average of the generator weights saved in the model, e.g. 0.999 (default: off, the last weights).");

    /// <summary>The flag of each trainer option a user sets from the command line (names as the library's exceptions give them).</summary>
    private static readonly Dictionary<string, string> Flags = new()
    {
        [nameof(AdGanTrainerOptions.Iterations)] = "--iterations",
        [nameof(AdGanTrainerOptions.DecayIterations)] = "--iterations",
        [nameof(AdGanTrainerOptions.CropSize)] = "--crop",
        [nameof(PriorEstimationOptions.PatchSize)] = "--crop",
        [nameof(AdGanTrainerOptions.CropDepth)] = "--depth",
        [nameof(AdGanTrainerOptions.Dimensions)] = "--depth",
        [nameof(AdGanTrainerOptions.BatchSize)] = "--batch",
        [nameof(AdGanTrainerOptions.BaseChannels)] = "--ngf",
        [nameof(AdGanTrainerOptions.ImageScale)] = "--scale",
        [nameof(AdGanTrainerOptions.Seed)] = "--seed",
        [nameof(AdGanTrainerOptions.Threads)] = "--threads",
        [nameof(AdGanTrainerOptions.GeneratorAverageDecay)] = "--ema",
        [nameof(AdGanTrainerOptions.TimeBudget)] = "--minutes",
        [nameof(AdGanTrainerOptions.CheckpointMinutes)] = "--checkpoint-minutes",
        [nameof(SyntheticMaskOptions.SemiAxis)] = "--radius",
        [nameof(SyntheticMaskOptions.CountPerPatch)] = "--number",
        [nameof(PriorEstimationOptions.TargetRadius)] = "--target-radius",
        [nameof(AdGanTrainerOptions.PerImageScale)] = "--per-image-scale",
    };

    /// <summary>The flag that sets trainer option <paramref name="option"/> (its name otherwise, e.g. for a preset-only setting).</summary>
    public static string FlagOf(string option) => Flags.TryGetValue(option, out var flag) ? flag : option;

    /// <summary>
    /// Checks <paramref name="options"/> as the trainer will, throwing <see cref="ArgumentException"/> whose message names the flag
    /// (--crop, --scale) instead of the option's property.
    /// </summary>
    public static void Validate(AdGanTrainerOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e) when (e.ParamName is { } name && Flags.ContainsKey(name))
        {
            string flag = Flags[name];
            string message = e.Message;
            int suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (suffix >= 0)
                message = message[..suffix];
            message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b{name}\b", flag);
            if (!message.Contains(flag, StringComparison.Ordinal))
                message = $"{flag}: {message}";
            if (e is ArgumentOutOfRangeException { ActualValue: { } actual })
                message = $"{message.TrimEnd('.')}; got {Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture)}.";
            throw new ArgumentException(message, e);
        }
    }

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => new Option[] { _instance, _semantic, _radius, _number, _preset, _iterations, _crop, _ngf, _batch, _scale, _seed, _threads, _precision, _priors, _targetRadius, _perImageScale, _normalization, _priorsMethod, _average }.Concat(_student.All);

    /// <summary>The student flags (bench quality reads the list of decodings to score).</summary>
    public StudentArguments Student => _student;

    /// <summary>True when --iterations was given: a fixed schedule rather than one planned for a time budget.</summary>
    public bool IterationsGiven(ParseResult parseResult) => parseResult.GetValue(_iterations) is not null;

    /// <summary>
    /// Trainer options from the preset and the flags given; <paramref name="cropDepth"/> (train's --depth) trains on volumes.
    /// Without --priors, images get estimated priors unless --radius or --number is given; volumes get given priors.
    /// Throws <see cref="ArgumentException"/> naming a bad flag.
    /// </summary>
    public AdGanTrainerOptions Build(ParseResult parseResult, int? cropDepth = null)
    {
        var options = parseResult.GetValue(_preset)?.ToLowerInvariant() switch
        {
            "cpu" => new AdGanTrainerOptions(),
            "paper" => AdGanPresets.Paper(),
            "cpu3d" => AdGanPresets.Cpu3D(),
            "paper3d" => AdGanPresets.Paper3D(),
            var other => throw new ArgumentException($"--preset must be cpu, paper, cpu3d or paper3d, not '{other}'."),
        };
        if (cropDepth is int depth)
        {
            options.Dimensions = 3;
            options.CropDepth = depth;
        }
        if (parseResult.GetValue(_semantic) && parseResult.GetValue(_instance))
            throw new ArgumentException("--instance and --semantic exclude each other.");
        options.Masks.Coding = parseResult.GetValue(_semantic) ? SyntheticMaskCoding.Semantic : SyntheticMaskCoding.ThreeLevel;
        if (parseResult.GetValue(_radius) is { } r)
            options.Masks.SemiAxis = RangeArgument.Parse(r, "--radius");
        if (parseResult.GetValue(_number) is { } n)
            options.Masks.CountPerPatch = RangeArgument.Parse(n, "--number");
        if (parseResult.GetValue(_iterations) is int total)
        {
            if (total < 1)
                throw new ArgumentException($"--iterations must be at least 1, not {total}.");
            options.Iterations = (int)((total + 1L) / 2);
            options.DecayIterations = total / 2;
        }
        if (parseResult.GetValue(_crop) is int c) options.CropSize = c;
        if (parseResult.GetValue(_ngf) is int g) options.BaseChannels = g;
        if (parseResult.GetValue(_batch) is int b) options.BatchSize = b;
        if (parseResult.GetValue(_scale) is double s) options.ImageScale = s;
        if (parseResult.GetValue(_seed) is int sd) options.Seed = sd;
        if (parseResult.GetValue(_threads) is int t) options.Threads = t;
        if (parseResult.GetValue(_precision) is { } p) options.Precision = BenchCommand.ParsePrecision(p);
        if (parseResult.GetValue(_average) is double decay) options.GeneratorAverageDecay = decay;
        if (parseResult.GetValue(_normalization) is NormalizationMode mode) options.Normalization = options.Normalization with { Mode = mode };
        _student.Apply(parseResult, options);
        var target = parseResult.GetValue(_targetRadius);
        bool sizesGiven = parseResult.GetValue(_radius) is not null || parseResult.GetValue(_number) is not null;
        bool volumes = options.Dimensions == 3;
        switch (parseResult.GetValue(_priors)?.ToLowerInvariant() ?? (sizesGiven || volumes ? "given" : "auto"))
        {
            case "given":
                if (parseResult.GetValue(_priorsMethod) is not null)
                    throw new ArgumentException("--priors-method needs estimated priors: drop --radius and --number, or use --priors auto.");
                if (parseResult.GetValue(_perImageScale))
                    throw new ArgumentException("--per-image-scale needs estimated priors (the nucleus size of each image is measured): drop --radius and --number, or use --priors auto.");
                if (target is not null)
                    throw new ArgumentException(volumes
                        ? "--target-radius needs estimated priors, which measure 2D images only; volumes train on --radius and --number."
                        : "--target-radius needs estimated priors: drop --radius and --number, or use --priors auto.");
                break;
            case "auto":
                if (volumes)
                    throw new ArgumentException("--priors auto measures 2D images only; volumes train on given priors (--radius, --number).");
                if (sizesGiven)
                    throw new ArgumentException("--priors auto estimates the radius and count ranges: drop --radius and --number, or use --priors given.");
                if (target is not null && parseResult.GetValue(_scale) is not null)
                    throw new ArgumentException("--target-radius sets the working scale: give it or --scale, not both.");
                if (parseResult.GetValue(_perImageScale) && parseResult.GetValue(_scale) is not null)
                    throw new ArgumentException("--per-image-scale sets each image's scale from --target-radius: drop --scale.");
                options.PriorEstimation = new PriorEstimationOptions { TargetRadius = target ?? (parseResult.GetValue(_scale) is null ? DefaultTargetRadius : null) };
                if (parseResult.GetValue(_priorsMethod) is ThresholdMethod method)
                    options.PriorEstimation.Method = method;
                options.PerImageScale = parseResult.GetValue(_perImageScale);
                break;
            case var other:
                throw new ArgumentException($"--priors must be given or auto, not '{other}'.");
        }
        return options;
    }
}
