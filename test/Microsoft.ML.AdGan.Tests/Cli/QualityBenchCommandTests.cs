using System.CommandLine;
using System.Text.Json;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Tools.Benchmarks;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class QualityBenchCommandTests
{
    /// <summary>Three simulated 48 x 48 images with their labels in DIR/images and DIR/masks, and an image description with two groups.</summary>
    private static void WriteData(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "masks"));
        var sims = TinyTraining.Images(3, 48);
        string[] names = { "a_0", "a_1", "b_0" };
        for (int i = 0; i < 3; i++)
        {
            SynthesisImageFiles.Write(Path.Combine(root, "images", names[i]), sims[i].Image, 16);
            SynthesisImageFiles.Write(Path.Combine(root, "masks", names[i]), sims[i].Labels);
        }

        File.WriteAllText(Path.Combine(root, "image_description.csv"),
            "Image_Name,Diagnosis,Preparation\na_0,normal (HaCaT),cellline cytospin\na_1,normal (HaCaT),cellline cytospin\nb_0,normal (HaCaT),cellline grown\n");
    }

    private static QualityBenchmarkOptions TinyOptions(string root, int seeds) => new()
    {
        ImageFolder = Path.Combine(root, "images"),
        TruthFolder = Path.Combine(root, "masks"),
        Training = TinyTraining.Options<AdGanTrainerOptions>(1, 1),
        Seeds = seeds,
        Baseline = new ThresholdSegmentationOptions { MinDiameter = 4 },
    };

    [TestMethod]
    public void TheBenchmarkScoresEverySeedNextToTheBaseline()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        var options = TinyOptions(temp.Path, seeds: 2);
        options.Training.GeneratorAverageDecay = 0.9;
        float? seenCore = null;
        options.ConfigureInference = s => s with { CoreThreshold = 0.25f };
        InstanceLabelMode? seenMode = null;
        double? seenScale = null;
        options.ConfigureLabeling = l => (seenCore, seenMode, seenScale) = (l.CoreThreshold, l.Mode, l.WorkingScale);
        var result = QualityBenchmark.Run(options);

        Assert.HasCount(2, result.Runs);
        CollectionAssert.AreEqual(new[] { 5, 6 }, result.Runs.Select(r => r.Seed).ToArray());
        Assert.IsTrue(result.Runs.All(r => r.Iterations == 2 && r.PlannedIterations == 2));
        Assert.AreEqual(0.25f, seenCore, "labelling starts from the model's (overridden) thresholds");
        Assert.AreEqual(InstanceLabelMode.Semantic, seenMode, "the default decoding splits the foreground");
        Assert.AreEqual(options.Training.ImageScale, seenScale, "and labels at the model's working scale");
        Assert.AreEqual(3, result.Baseline.ImageCount);
        // The threshold baseline finds the bright simulated nuclei; two iterations of AD-GAN do not.
        Assert.IsGreaterThan(0.7, result.Baseline.Dice);
        Assert.IsTrue(result.Runs.All(r => r.Metrics.ImageCount == 3 && double.IsFinite(r.Metrics.Dice)));
        double mean = result.Mean(m => m.Dice);
        Assert.AreEqual((result.Runs[0].Metrics.Dice + result.Runs[1].Metrics.Dice) / 2, mean, 1e-12);
        Assert.AreEqual(Math.Abs(result.Runs[0].Metrics.Dice - result.Runs[1].Metrics.Dice) / Math.Sqrt(2), result.Spread(m => m.Dice), 1e-12);

        string table = result.ToString();
        StringAssert.Contains(table, "| threshold baseline |");
        StringAssert.Contains(table, "| AD-GAN mean +- sd | 2 seeds |");
        StringAssert.Contains(table, "generator average 0.9");
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.AreEqual(2, json.RootElement.GetProperty("runs").GetArrayLength());
        Assert.AreEqual(result.BaselineMean(m => m.AggregatedJaccardIndex), json.RootElement.GetProperty("baseline").GetProperty("aji").GetDouble(), 1e-12);
        Assert.HasCount(5, result.BaselineRuns, "the baseline runs once per jitter seed, 0 to 4");
        Assert.AreEqual(5, json.RootElement.GetProperty("baseline_per_seed").GetArrayLength());
    }

    [TestMethod]
    public void TheCommandSelectsAGroupAndWritesJson()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        string json = temp.File("out/result.json");
        var bench = BenchCommand.Create();
        int code = bench.Parse(new[]
        {
            "quality", "--images", Path.Combine(temp.Path, "images"), "--truth", Path.Combine(temp.Path, "masks"),
            "--group", "HaCaT cytospin", "--iterations", "1", "--crop", "24", "--ngf", "2", "--batch", "1", "--threads", "1",
            "--radius", "3,6", "--number", "1,3", "--baseline-min-diameter", "4", "--label", "MinCoreSize=2", "--json", json,
        }).Invoke();

        Assert.AreEqual(0, code);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var images = document.RootElement.GetProperty("images").EnumerateArray().Select(e => e.GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "a_0", "a_1" }, images);
        Assert.AreEqual("normal (HaCaT) | cellline cytospin", document.RootElement.GetProperty("selection").GetString());
    }

    [TestMethod]
    public void SavedModelsAreReusedWithTheirTrainingRecord()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        var options = TinyOptions(temp.Path, seeds: 1);
        options.ModelFolder = temp.File("models");
        var trained = QualityBenchmark.Run(options);
        Assert.IsTrue(File.Exists(temp.File("models/seed-5.zip")) && File.Exists(temp.File("models/seed-5.json")));

        var again = TinyOptions(temp.Path, seeds: 1);
        again.ModelFolder = options.ModelFolder;
        again.ReuseModels = true;
        again.Training.Iterations = 1000; // not trained: the record's iterations are reported
        var reused = QualityBenchmark.Run(again);

        Assert.AreEqual(trained.Runs[0].Iterations, reused.Runs[0].Iterations);
        Assert.AreEqual(trained.Runs[0].TrainingMinutes, reused.Runs[0].TrainingMinutes, 1e-9);
        Assert.AreEqual(trained.Runs[0].Metrics.AggregatedJaccardIndex, reused.Runs[0].Metrics.AggregatedJaccardIndex, 1e-12);
        Assert.AreEqual(trained.Runs[0].Metrics.Dice, reused.Runs[0].Metrics.Dice, 1e-12);

        again.Seeds = 2;
        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => QualityBenchmark.Run(again));
        StringAssert.Contains(missing.Message, "seed-6.zip");
        again.Seeds = 1;
        File.Delete(temp.File("models/seed-5.json"));
        var noRecord = Assert.ThrowsExactly<FileNotFoundException>(() => QualityBenchmark.Run(again));
        StringAssert.Contains(noRecord.Message, "seed-5.json");
        var noFolder = TinyOptions(temp.Path, seeds: 1);
        noFolder.ReuseModels = true;
        Assert.AreEqual("ReuseModels", Assert.ThrowsExactly<ArgumentException>(() => QualityBenchmark.Run(noFolder)).ParamName);
    }

    [TestMethod]
    public void AReusedModelGetsAFreshStudentScoredWithEveryDecodingAsked()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        var options = TinyOptions(temp.Path, seeds: 1);
        options.ModelFolder = temp.File("models");
        var plain = QualityBenchmark.Run(options);
        Assert.IsEmpty(plain.Runs[0].Students, "no student asked, none scored");
        Assert.IsNull(plain.Runs[0].Speed);

        var again = TinyOptions(temp.Path, seeds: 1);
        again.ModelFolder = options.ModelFolder;
        again.ReuseModels = true;
        again.Training.Student = new StudentTrainingOptions
        {
            Iterations = 2, BatchSize = 2, Patches = 4, Network = new Microsoft.ML.AdGan.Networks.StudentNetworkOptions { BaseChannels = 2, Depth = 2 }, PseudoLabelFraction = 0.5,
        };
        again.StudentDecodings = new[] { StudentDecoding.Peaks, StudentDecoding.Cores };
        InstanceLabelMode? seen = null;
        again.ConfigureStudentLabeling = l => seen = l.Mode;
        var result = QualityBenchmark.Run(again);

        var run = result.Runs[0];
        Assert.AreEqual(plain.Runs[0].Metrics.AggregatedJaccardIndex, run.Metrics.AggregatedJaccardIndex, 1e-12, "AD-GAN's own row is unchanged");
        CollectionAssert.AreEqual(new[] { StudentDecoding.Peaks, StudentDecoding.Cores }, run.Students.Select(r => r.Decoding).ToArray());
        Assert.IsTrue(run.Students.All(r => r.Metrics.ImageCount == 3 && double.IsFinite(r.Metrics.Dice)));
        Assert.AreEqual(InstanceLabelMode.ThreeLevel, seen, "the student labelling override saw the Cores decoding last");
        Assert.IsNotNull(run.StudentMinutes);
        Assert.IsNotNull(run.Speed);
        Assert.AreEqual(98 * 2 + 162 * 4, run.Speed.GeneratorMultiplyAdds, 1e-9);
        StringAssert.Contains(result.ToString(), "| student, Cores decoding | 5 |");
        StringAssert.Contains(result.ToString(), "multiply-adds per pixel: generator 844");
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.AreEqual(2, json.RootElement.GetProperty("runs")[0].GetProperty("students").GetArrayLength());
    }

    [TestMethod]
    public void AnImageWithoutTruthIsNamed()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        File.Delete(Path.Combine(temp.Path, "masks", "a_1.png"));
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => QualityBenchmark.Run(TinyOptions(temp.Path, 1)));
        StringAssert.Contains(e.Message, "a_1");
    }

    [TestMethod]
    public void AnUnknownGroupListsTheGroups()
    {
        using var temp = new TempFolder();
        WriteData(temp.Path);
        var e = Assert.ThrowsExactly<ArgumentException>(() => QualityBenchCommand.SelectGroup(temp.File("image_description.csv"), "tissue"));
        StringAssert.Contains(e.Message, "normal (HaCaT) | cellline grown");
    }

    [TestMethod]
    public void SettingAssignmentsParseTypesAndNameUnknownSettings()
    {
        var labels = new InstanceLabelOptions();
        SettingAssignments.Apply(labels, new[] { "corethreshold=0.3", "Growth=mapvalue", "FillHoles=false", "MinCoreSize=7" }, "--label");
        Assert.AreEqual((0.3f, InstanceGrowth.MapValue, false, 7), (labels.CoreThreshold, labels.Growth, labels.FillHoles, labels.MinCoreSize));
        var e = Assert.ThrowsExactly<ArgumentException>(() => SettingAssignments.Check(typeof(AdGanInferenceSettings), new[] { "Flips=true" }, "--infer"));
        StringAssert.Contains(e.Message, "Flips");
        StringAssert.Contains(e.Message, "CoreThreshold");
        Assert.ThrowsExactly<ArgumentException>(() => SettingAssignments.Apply(labels, new[] { "MinCoreSize=seven" }, "--label"));
    }

    [TestMethod]
    public void ASimulatedDimBesideBrightCaseReportsTheDimNucleiOfBothMethods()
    {
        var simulation = MicroscopySimulationOptions.DimBesideBright(4);
        simulation.Shape = ImageShape.Of2D(64, 64);
        simulation.SemiAxis = (4, 7);
        simulation.CountPerImage = (6, 10);
        simulation.BackgroundScale = 10;
        var options = new QualityBenchmarkOptions
        {
            Simulation = simulation,
            SimulatedImages = 2,
            Training = TinyTraining.Options<AdGanTrainerOptions>(1, 1),
            Baseline = new ThresholdSegmentationOptions { MinDiameter = 4 },
            BaselineSeeds = new[] { 0, 1 },
        };

        var result = QualityBenchmark.Run(options);

        CollectionAssert.AreEqual(new[] { "sim_00000", "sim_00001" }, result.ImageNames.ToArray());
        StringAssert.Contains(result.Selection, "simulated");
        Assert.HasCount(2, result.BaselineRuns);
        Assert.IsNotNull(result.BaselineDimNuclei);
        Assert.IsGreaterThan(0, result.BaselineDimNuclei.Nuclei);
        Assert.IsTrue(result.BaselineDimNuclei.PixelRecall is >= 0 and <= 1);
        Assert.IsNotNull(result.Runs[0].DimNuclei);
        StringAssert.Contains(result.ToString(), "pixel recall, dim nuclei");
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.AreEqual(result.BaselineDimNuclei.PixelRecall, json.RootElement.GetProperty("baseline").GetProperty("dim_pixel_recall").GetDouble(), 1e-12);
    }

    [TestMethod]
    public void TheCommandNamesTheSimulatedCasesAndNeedsImagesWithoutOne()
    {
        Assert.AreEqual((2, 4), QualityBenchCommand.ParseSimulation("dim-bright", 3)!.BrightNuclei);
        Assert.AreEqual(3, QualityBenchCommand.ParseSimulation("dim-bright", 3)!.Seed);
        Assert.AreEqual((1, 4), QualityBenchCommand.ParseSimulation("large-nuclei", 1)!.NucleoliPerNucleus);
        Assert.IsNull(QualityBenchCommand.ParseSimulation(null, 1));
        Assert.ThrowsExactly<ArgumentException>(() => QualityBenchCommand.ParseSimulation("bright", 1));
        Assert.AreEqual(1, BenchCommand.Create().Parse(new[] { "quality", "--iterations", "1" }).Invoke());
        Assert.AreEqual(1, BenchCommand.Create().Parse(new[] { "quality", "--simulated", "dim-bright", "--images", "x", "--iterations", "1" }).Invoke());
    }

    [TestMethod]
    public void DimNucleusScoresCountOnlyTheOrdinaryNuclei()
    {
        var shape = ImageShape.Of2D(1, 8);
        var truth = new ImageBuffer<uint>(new uint[] { 1, 1, 1, 1, 2, 2, 3, 3 }, shape);
        var predicted = new ImageBuffer<uint>(new uint[] { 5, 5, 5, 0, 6, 6, 0, 0 }, shape);
        var scores = DimNucleusScores.Compute(truth, predicted, new uint[] { 2 });
        Assert.AreEqual(6, scores.Pixels);
        Assert.AreEqual(3, scores.RecalledPixels);
        Assert.AreEqual(0.5, scores.PixelRecall, 1e-12);
        Assert.AreEqual(2, scores.Nuclei);
        Assert.AreEqual(1, scores.Matched, "nucleus 1 at IoU 0.75; nucleus 3 missed");
        var pooled = DimNucleusScores.Pool(new[] { scores, scores });
        Assert.AreEqual(0.5, pooled.ObjectRecall, 1e-12);
        Assert.AreEqual(12, pooled.Pixels);
    }
}
