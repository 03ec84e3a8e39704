using System.CommandLine;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Tools.Benchmarks;
using Microsoft.ML.AdGan.Tools.Datasets;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench quality`: the quality benchmark. Trains AD-GAN on the images only (per seed), segments and labels them, and prints
/// Dice, AJI, F1@0.5 and PQ next to the classical threshold baseline on the same images, as a Markdown table (optionally JSON).
/// </summary>
internal static class QualityBenchCommand
{
    public static Command Create()
    {
        var images = new Option<string?>("--images") { Description = "Folder of images (training sees these only); required unless --simulated." };
        var truth = new Option<string?>("--truth") { Description = "Folder of instance label maps with the same file names (used only to score); required unless --simulated." };
        var simulated = new Option<string?>("--simulated") { Description = "Simulate the images instead: dim-bright (a few nuclei 10-20 times brighter than the rest, uneven background, debris; adds the recall of the dim nuclei) or large-nuclei (large, elongated, textured nuclei with dark nucleoli)." };
        var simulatedCount = new Option<int>("--simulated-count") { Description = "Number of simulated images.", DefaultValueFactory = _ => new QualityBenchmarkOptions().SimulatedImages };
        var baselineMethod = new Option<ThresholdMethod?>("--baseline-method") { Description = "Baseline: threshold method, Otsu (its default), Li or LogOtsu." };
        var simulatedSeed = new Option<int>("--simulated-seed") { Description = "Seed of the simulated images.", DefaultValueFactory = _ => 1 };
        var group = new Option<string?>("--group") { Description = "Only the images of this group of the image description, e.g. \"HaCaT cytospin\" (every word must appear in 'Diagnosis | Preparation')." };
        var description = new Option<string?>("--description") { Description = "Image description CSV (name, Diagnosis, Preparation, ...); default: image_description.csv beside the images folder." };
        var budget = new TimeBudgetArguments(null, " per seed's training");
        var minutes = budget.Minutes;
        var seeds = new Option<int>("--seeds") { Description = "Training runs with seeds --seed, --seed + 1, ...", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file." };
        var baselineMin = new Option<double?>("--baseline-min-diameter") { Description = "Baseline: smallest nucleus diameter in pixels at its scale (default: its default, 10)." };
        var baselineScale = new Option<double?>("--baseline-scale") { Description = "Baseline: working scale (default: the AD-GAN working scale)." };
        var infer = new Option<string[]>("--infer") { Description = "Inference setting of the trained model, Name=value (repeatable), e.g. --infer CoreThreshold=0.4.", AllowMultipleArgumentsPerToken = false };
        var label = new Option<string[]>("--label") { Description = "Instance labelling setting, Name=value (repeatable), e.g. --label MinCoreSize=4.", AllowMultipleArgumentsPerToken = false };
        var studentLabel = new Option<string[]>("--student-label") { Description = "Instance labelling setting of the student's maps, Name=value (repeatable), e.g. --student-label MinMarkerDistance=5.", AllowMultipleArgumentsPerToken = false };
        var decoding = new Option<AdGanDecoding>("--decoding") { Description = "Split (foreground split by a distance watershed at the working scale; the default) or Cores (the reference's cores as markers).", DefaultValueFactory = _ => AdGanDecoding.Split };
        var models = new Option<string?>("--models") { Description = "Save each seed's trained model to this folder (seed-N.zip and seed-N.json)." };
        var reuse = new Option<bool>("--reuse-models") { Description = "Load each seed's model from --models instead of training it (compare inference and labelling settings on the same models)." };
        var training = new TrainingArguments();
        var command = new Command("quality", "Train AD-GAN without labels on a set of images, segment them, and score Dice, AJI, F1@0.5 and PQ against the truth next to the classical threshold baseline.")
        {
            images, truth, simulated, simulatedCount, simulatedSeed, baselineMethod, group, description, minutes, seeds, json, baselineMin, baselineScale, infer, label, studentLabel, decoding, models, reuse,
        };
        foreach (var option in training.All)
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                var trainingOptions = training.Build(parseResult);
                trainingOptions.TimeBudget = budget.Resolve(parseResult, training.IterationsGiven(parseResult));
                trainingOptions.MetricsEvery = 10;
                var progress = new ConsoleProgress();
                trainingOptions.MetricsCallback = progress.Report;
                var simulation = ParseSimulation(parseResult.GetValue(simulated), parseResult.GetValue(simulatedSeed));
                string? imagesDir = parseResult.GetValue(images);
                if (simulation is null && (imagesDir is null || parseResult.GetValue(truth) is null))
                    throw new ArgumentException("--images and --truth are required unless --simulated is given.");
                if (simulation is not null && (imagesDir is not null || parseResult.GetValue(group) is not null))
                    throw new ArgumentException("--simulated replaces --images, --truth and --group.");
                var options = new QualityBenchmarkOptions
                {
                    ImageFolder = imagesDir ?? "",
                    TruthFolder = parseResult.GetValue(truth) ?? "",
                    Simulation = simulation,
                    SimulatedImages = parseResult.GetValue(simulatedCount),
                    Training = trainingOptions,
                    Seeds = parseResult.GetValue(seeds),
                    Decoding = parseResult.GetValue(decoding),
                    BaselineScale = parseResult.GetValue(baselineScale),
                    ModelFolder = parseResult.GetValue(models),
                    ReuseModels = parseResult.GetValue(reuse),
                    StudentDecodings = training.Student.Decodings(parseResult),
                    Log = progress.Log,
                };
                if (parseResult.GetValue(baselineMin) is double d)
                    options.Baseline.MinDiameter = d;
                if (parseResult.GetValue(baselineMethod) is ThresholdMethod bm)
                    options.Baseline.Method = bm;
                if (parseResult.GetValue(group) is { } g)
                {
                    string csv = parseResult.GetValue(description) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(imagesDir!))!, "image_description.csv");
                    var (name, names) = SelectGroup(csv, g);
                    options.Names = names;
                    options.SelectionName = name;
                }
                else if (parseResult.GetValue(description) is not null)
                {
                    throw new ArgumentException("--description is used with --group only.");
                }
                var inferAssignments = parseResult.GetValue(infer) ?? Array.Empty<string>();
                var labelAssignments = parseResult.GetValue(label) ?? Array.Empty<string>();
                SettingAssignments.Check(typeof(AdGanInferenceSettings), inferAssignments, "--infer");
                SettingAssignments.Check(typeof(InstanceLabelOptions), labelAssignments, "--label");
                if (inferAssignments.Length > 0)
                    options.ConfigureInference = s =>
                    {
                        var copy = s with { };
                        SettingAssignments.Apply(copy, inferAssignments, "--infer");
                        return copy;
                    };
                if (labelAssignments.Length > 0)
                    options.ConfigureLabeling = l => SettingAssignments.Apply(l, labelAssignments, "--label");
                var studentLabelAssignments = parseResult.GetValue(studentLabel) ?? Array.Empty<string>();
                SettingAssignments.Check(typeof(InstanceLabelOptions), studentLabelAssignments, "--student-label");
                if (studentLabelAssignments.Length > 0)
                    options.ConfigureStudentLabeling = l => SettingAssignments.Apply(l, studentLabelAssignments, "--student-label");
                return Run(options, parseResult.GetValue(json), Console.Out, progress);
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The simulated case named by --simulated (null: none).</summary>
    internal static MicroscopySimulationOptions? ParseSimulation(string? name, int seed) => SimulateCommand.Case(name, seed, "--simulated");

    /// <summary>Runs the benchmark, prints the table to <paramref name="output"/> and writes <paramref name="jsonPath"/> when given.</summary>
    internal static int Run(QualityBenchmarkOptions options, string? jsonPath, TextWriter output, ConsoleProgress? progress = null)
    {
        var result = QualityBenchmark.Run(options);
        progress?.Done();
        output.WriteLine();
        output.Write(result.ToString());
        if (jsonPath is not null)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
            if (folder is not null)
                Directory.CreateDirectory(folder);
            File.WriteAllText(jsonPath, result.ToJson());
            output.WriteLine($"JSON written to {jsonPath}");
        }
        return 0;
    }

    /// <summary>The one or more groups of <paramref name="csv"/> matching <paramref name="filter"/>, as a name and the image stems.</summary>
    internal static (string Name, IReadOnlyList<string> Names) SelectGroup(string csv, string filter)
    {
        var groups = ImageGroups.Read(csv, filter);
        if (groups.Count == 0)
        {
            var all = ImageGroups.Read(csv);
            throw new ArgumentException($"--group '{filter}' matches no group of '{csv}'; groups: {string.Join("; ", all.Keys)}.");
        }
        return (string.Join(" + ", groups.Keys), groups.Values.SelectMany(n => n).ToList());
    }
}
