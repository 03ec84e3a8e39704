using AdGan.Samples.Pipeline;

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
}
