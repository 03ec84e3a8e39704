using AdGan.Samples.Pipeline;
using Microsoft.ML.AdGan.Tools.Demo;

namespace Microsoft.ML.AdGan.Tests.Samples;

[TestClass]
public sealed class PipelineSampleTests
{
    [TestMethod]
    public void TinyRunTrainsEvaluatesAndReloadsTheSameModel()
    {
        using var folder = new TempFolder();
        var log = new StringWriter();
        var result = PipelineSample.Run(new SampleSettings
        {
            Folder = folder.Path,
            ImageCount = 2,
            ImageSize = 40,
            Iterations = 4,
            DecayIterations = 0,
            BaseChannels = 2,
            CropSize = 24,
            BatchSize = 2,
        }, log);

        Assert.IsTrue(result.ReloadedModelAgrees, log.ToString());
        Assert.AreEqual(2, result.ImageCount);
        Assert.AreEqual(2, result.Metrics.ImageCount);
        Assert.IsTrue(result.Metrics.Dice is >= 0 and <= 1, $"Dice {result.Metrics.Dice}");
        Assert.IsTrue(File.Exists(folder.File("model.zip")));
        StringAssert.Contains(log.ToString(), "Dice");
        StringAssert.Contains(log.ToString(), "identical");
    }

    [TestMethod]
    public void WithTheDemosDataAndSettingsTheSampleGivesTheDemosFigures()
    {
        using var folder = new TempFolder();
        DemoSettings Tiny() => new()
        {
            OutputDirectory = folder.File("demo"),
            TrainImages = 2,
            TestImages = 2,
            ImageSize = 48,
            SemiAxis = (4, 6),
            CountPerImage = (3, 6),
            Training =
            {
                Iterations = 2,
                DecayIterations = 1,
                TimeBudget = null,
                CropSize = 24,
                BaseChannels = 2,
                StyleMlpWidth = 8,
                BatchSize = 2,
                Threads = 1,
                SnapshotEvery = 1000,
            },
        };
        var demo = DemoRunner.Run(Tiny());
        var settings = SampleSettings.LikeDemo(Tiny());
        settings.Folder = folder.File("sample");
        Directory.CreateDirectory(settings.Folder);
        var log = new StringWriter();
        var sample = PipelineSample.Run(settings, log);

        Assert.AreEqual(2, sample.ImageCount, "the held-back images are scored");
        Assert.AreEqual(demo.AdGan.Dice, sample.Metrics.Dice, 1e-9, log.ToString());
        Assert.AreEqual(demo.AdGan.AggregatedJaccardIndex, sample.Metrics.AggregatedJaccardIndex, 1e-9);
        Assert.AreEqual(demo.AdGan.F1At50, sample.Metrics.F1At50, 1e-9);
    }
}
