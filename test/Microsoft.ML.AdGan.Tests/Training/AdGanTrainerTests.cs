using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Training;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Training;

[TestClass]
public sealed class AdGanTrainerTests
{
    private static Dictionary<string, float[]> Weights(AdGanTrainer trainer) =>
        trainer.Networks.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.cpu().data<float>().ToArray());

    [TestMethod]
    public void ResumingAfterKIterationsEqualsAnUninterruptedRunBitForBit()
    {
        using var temp = new TempFolder();
        var full = TinyTraining.Options<AdGanTrainerOptions>();
        Dictionary<string, float[]> expected;
        using (var trainer = new AdGanTrainer(full, TinyTraining.Source(full)))
        {
            trainer.Train().Dispose();
            Assert.AreEqual(6, trainer.CompletedIterations);
            expected = Weights(trainer);
        }

        using var cancel = new CancellationTokenSource();
        var first = TinyTraining.Options<AdGanTrainerOptions>();
        first.CheckpointDirectory = temp.Path;
        first.MetricsCallback = m =>
        {
            if (m.Iteration == 2)
                cancel.Cancel();
        };
        using (var trainer = new AdGanTrainer(first, TinyTraining.Source(first)))
            Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Train(cancel.Token));
        string checkpoint = Path.Combine(temp.Path, "checkpoint.adgan");
        Assert.IsTrue(File.Exists(checkpoint), "cancellation writes a checkpoint");
        Assert.AreEqual(2, AdGanTrainer.CheckpointIteration(checkpoint));

        var second = TinyTraining.Options<AdGanTrainerOptions>();
        second.ResumeFrom = checkpoint;
        using var resumed = new AdGanTrainer(second, TinyTraining.Source(second));
        Assert.AreEqual(2, resumed.CompletedIterations);
        resumed.Train().Dispose();
        var actual = Weights(resumed);
        Assert.HasCount(expected.Count, actual);
        foreach (var (name, values) in expected)
            CollectionAssert.AreEqual(values, actual[name], $"parameter {name} differs after resume");
        Assert.HasCount(6, resumed.LossHistory);
    }

    [TestMethod]
    public void TrainingChangesTheWeightsAndReportsFiniteLosses()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>(2, 0);
        var reports = new List<AdGanTrainingMetrics>();
        options.MetricsCallback = reports.Add;
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        var before = Weights(trainer);
        using var model = trainer.Train();
        var after = Weights(trainer);
        Assert.HasCount(2, reports);
        Assert.IsTrue(reports.All(r => double.IsFinite(r.Losses.GeneratorTotal) && double.IsFinite(r.Losses.Discriminator)));
        Assert.IsTrue(before.Any(kv => !kv.Value.SequenceEqual(after[kv.Key])), "some weight moved");
        Assert.AreEqual(2, model.Settings.BaseChannels);
    }

    [TestMethod]
    public void ResumingWithAnotherNetworkShapeFailsClearly()
    {
        using var temp = new TempFolder();
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        using (var trainer = new AdGanTrainer(options, TinyTraining.Source(options)))
            trainer.SaveCheckpoint(temp.File("c.adgan"));
        var other = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        other.BaseChannels = 4;
        other.ResumeFrom = temp.File("c.adgan");
        var e = Assert.ThrowsExactly<ArgumentException>(() => new AdGanTrainer(other, TinyTraining.Source(other)));
        StringAssert.Contains(e.Message, "BaseChannels 4 (checkpoint: 2)");
    }

    [TestMethod]
    public void ResumingFromSomethingElseNamesTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("notes.txt"), "not a checkpoint at all");
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        options.ResumeFrom = temp.File("notes.txt");
        var e = Assert.ThrowsExactly<AdGanModelFormatException>(() => new AdGanTrainer(options, TinyTraining.Source(options)));
        StringAssert.Contains(e.Message, "notes.txt");
    }

    [TestMethod]
    public void InvalidOptionsNameTheOption()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>();
        options.CropSize = 30;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.AreEqual("CropSize", e.ParamName);
        options = TinyTraining.Options<AdGanTrainerOptions>();
        options.BatchSize = 0;
        Assert.AreEqual("BatchSize", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate()).ParamName);
    }

    [TestMethod]
    public void PresetsHaveThePublishedSizes()
    {
        var paper = AdGanPresets.Paper();
        Assert.AreEqual((256, 64, 8, 10000), (paper.CropSize, paper.BaseChannels, paper.BatchSize, paper.TotalIterations));
        var cpu = new AdGanTrainerOptions();
        Assert.AreEqual((96, 16, 4), (cpu.CropSize, cpu.BaseChannels, cpu.BatchSize));
    }
}
