using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class TrainCommandTests
{
    private static AdGanTrainerOptions Build(int? depth, params string[] args)
    {
        var arguments = new TrainingArguments();
        var command = new System.CommandLine.Command("train");
        foreach (var option in arguments.All)
            command.Options.Add(option);
        return arguments.Build(command.Parse(args), depth);
    }

    [TestMethod]
    public void ImagesGetEstimatedPriorsUnlessSizesAreGiven()
    {
        var byDefault = Build(null);
        Assert.IsNotNull(byDefault.PriorEstimation);
        Assert.AreEqual(TrainingArguments.DefaultTargetRadius, byDefault.PriorEstimation.TargetRadius, "the scale is estimated too");

        var atScale = Build(null, "--scale", "0.25", "--preset", "paper");
        Assert.IsNotNull(atScale.PriorEstimation);
        Assert.IsNull(atScale.PriorEstimation.TargetRadius, "--scale keeps the scale");
        Assert.AreEqual(0.25, atScale.ImageScale);
        Assert.AreEqual(7.5, Build(null, "--target-radius", "7.5").PriorEstimation!.TargetRadius);

        var sized = Build(null, "--radius", "4,7", "--scale", "0.5");
        Assert.IsNull(sized.PriorEstimation, "--radius selects given priors");
        Assert.AreEqual((4, 7), sized.Masks.SemiAxis);
        Assert.IsNull(Build(null, "--number", "2,5").PriorEstimation);
        var given = Build(null, "--priors", "given");
        Assert.IsNull(given.PriorEstimation);
        Assert.AreEqual(((10, 15), (3, 8), 1.0), (given.Masks.SemiAxis, given.Masks.CountPerPatch, given.ImageScale), "the old defaults");
    }

    [TestMethod]
    public void VolumesKeepGivenPriors()
    {
        var volume = Build(24, "--preset", "cpu3d");
        Assert.IsNull(volume.PriorEstimation);
        Assert.AreEqual((3, 24), (volume.Dimensions, volume.CropDepth));
        Assert.IsNull(Build(null, "--preset", "cpu3d").PriorEstimation);
        Assert.IsNull(Build(16).PriorEstimation, "--depth alone trains on volumes");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(24, "--priors", "auto")).Message, "2D images only");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(24, "--target-radius", "6")).Message, "2D images only");
    }

    [TestMethod]
    public void PerImageScaleNeedsEstimatedPriorsAndNoFixedScale()
    {
        var perImage = Build(null, "--per-image-scale");
        Assert.IsTrue(perImage.PerImageScale);
        Assert.AreEqual(new Microsoft.ML.AdGan.Priors.ImageScaling(perImage.ImageScale, TrainingArguments.DefaultTargetRadius), perImage.Scaling());
        Assert.IsFalse(Build(null).PerImageScale, "off by default");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--per-image-scale", "--radius", "4,7")).Message, "--per-image-scale");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--per-image-scale", "--scale", "0.5")).Message, "--scale");
    }

    [TestMethod]
    public void NormalisationAndPriorThresholdAreSetFromTheCommandLine()
    {
        var defaults = Build(null);
        Assert.AreEqual(Microsoft.ML.AdGan.Imaging.NormalizationMode.Percentile, defaults.Normalization.Mode);
        Assert.AreEqual(Microsoft.ML.AdGan.Imaging.ThresholdMethod.Otsu, defaults.PriorEstimation!.Method);
        var dim = Build(null, "--normalization", "ForegroundMedian", "--priors-method", "LogOtsu");
        Assert.AreEqual(Microsoft.ML.AdGan.Imaging.NormalizationMode.ForegroundMedian, dim.Normalization.Mode);
        Assert.AreEqual(Microsoft.ML.AdGan.Imaging.NormalizationMode.ForegroundMedian, dim.InferenceSettings().Normalization.Mode, "stored in the model");
        Assert.AreEqual(Microsoft.ML.AdGan.Imaging.ThresholdMethod.LogOtsu, dim.PriorEstimation!.Method);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--priors-method", "LogOtsu", "--radius", "4,7")).Message, "--priors-method");
    }

    [TestMethod]
    public void ConflictingPriorFlagsAreNamed()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--priors", "auto", "--radius", "4,7")).Message, "--radius");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--radius", "4,7", "--target-radius", "6")).Message, "--target-radius");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--target-radius", "6", "--scale", "0.5")).Message, "--scale");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build(null, "--priors", "guess")).Message, "guess");
    }

    [TestMethod]
    public void TrainByDefaultEstimatesAndPrintsThePriors()
    {
        using var temp = new TempFolder();
        string images = temp.File("images"), model = temp.File("model.zip");
        Directory.CreateDirectory(images);
        foreach (var (sim, i) in TinyTraining.Images(2, 64).Select((s, i) => (s, i)))
            SynthesisImageFiles.Write(Path.Combine(images, $"cells{i}"), sim.Image, 16);

        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            // Target radius 6 keeps the images small; everything else about the priors is left to the estimation.
            code = new RootCommand { TrainCommand.Create() }.Parse(new[]
            {
                "train", "--images", images, "--out", model, "--iterations", "2", "--crop", "24", "--ngf", "2", "--batch", "1", "--threads", "1",
                "--target-radius", "6",
            }).Invoke();
        }
        finally
        {
            Console.SetOut(previous);
        }

        string text = output.ToString();
        Assert.AreEqual(0, code, text);
        StringAssert.Contains(text, "Priors estimated from 2 images");
        using var trained = AdGanModelFile.LoadModel(new MLContext(), model);
        Assert.AreNotEqual(1.0, trained.Settings.ImageScale, "the working scale was estimated");
        StringAssert.Contains(text, $"working scale {trained.Settings.ImageScale.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.IsGreaterThanOrEqualTo(4.0, trained.Settings.TrainedSemiAxis!.Value);
        Assert.IsLessThanOrEqualTo(8.0, trained.Settings.TrainedSemiAxis.Value, "synthetic nuclei around the target radius");
    }

    private static (TimeSpan? Budget, TrainingArguments Training, ParseResult Parsed) Budget(double? defaultMinutes, params string[] args)
    {
        var training = new TrainingArguments();
        var budget = new TimeBudgetArguments(defaultMinutes, "");
        var command = new System.CommandLine.Command("train") { budget.Minutes };
        foreach (var option in training.All)
            command.Options.Add(option);
        var parsed = command.Parse(args);
        return (budget.Resolve(parsed, training.IterationsGiven(parsed)), training, parsed);
    }

    [TestMethod]
    public void TrainPlansForADefaultBudgetUnlessIterationsAreFixed()
    {
        Assert.AreEqual(TimeSpan.FromMinutes(TimeBudgetArguments.DefaultCpuMinutes), Budget(TimeBudgetArguments.DefaultCpuMinutes).Budget);
        Assert.AreEqual(TimeSpan.FromMinutes(12), Budget(TimeBudgetArguments.DefaultCpuMinutes, "--minutes", "12").Budget);
        var (fixedBudget, training, parsed) = Budget(TimeBudgetArguments.DefaultCpuMinutes, "--iterations", "300");
        Assert.IsNull(fixedBudget, "--iterations fixes the schedule");
        Assert.AreEqual(300, training.Build(parsed).TotalIterations);
        Assert.IsNull(Budget(null).Budget, "no default: the preset's iterations");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Budget(30, "--minutes", "10", "--iterations", "300")).Message, "--iterations");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Budget(30, "--minutes", "0")).Message, "--minutes");
        StringAssert.Contains(new TimeBudgetArguments(TimeBudgetArguments.DefaultCpuMinutes, "").Minutes.Description, "Default: 30 minutes unless --iterations is given");
    }

    [TestMethod]
    public void TheBudgetLeftForTrainingIsWhatTheCommandHasNotSpent()
    {
        var log = new List<string>();
        var options = TimeBudgetArguments.StartBudget(new AdGanTrainerOptions { TimeBudget = TimeSpan.FromMinutes(10) }, TimeSpan.FromMinutes(1), log.Add);
        Assert.AreEqual(TimeSpan.FromMinutes(9), options.TimeBudget);
        StringAssert.Contains(log.Single(), "planned for the 9 min left");
        Assert.ThrowsExactly<InvalidOperationException>(() => TimeBudgetArguments.StartBudget(new AdGanTrainerOptions { TimeBudget = TimeSpan.FromMinutes(1) }, TimeSpan.FromMinutes(2), log.Add));
        Assert.IsNull(TimeBudgetArguments.StartBudget(new AdGanTrainerOptions(), TimeSpan.FromMinutes(2), log.Add).TimeBudget);
    }
}
