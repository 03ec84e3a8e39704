using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class LogOtsuTests
{
    [TestMethod]
    public void OtsuOfTheLogSplitsDimFromBackgroundWhereOtsuSplitsBrightFromDim()
    {
        // Background 100 (70%), dim objects 130 (27%), very bright ones 1000 (3%).
        var random = new Random(3);
        var values = Enumerable.Range(0, 10000).Select(i => (i % 100 < 70 ? 100f : i % 100 < 97 ? 130f : 1000f) + (float)random.NextDouble() * 4).ToArray();
        float otsu = Thresholds.Otsu(values), log = Thresholds.LogOtsu(values);
        Assert.IsTrue(otsu is > 132 and < 1000, $"Otsu {otsu}");
        Assert.IsTrue(log is > 104 and < 130, $"log Otsu {log}");
        var image = new ImageBuffer<float>(values, ImageShape.Of2D(100, 100));
        Assert.AreEqual(log, Thresholds.Of(image, ThresholdMethod.LogOtsu));
        Assert.AreEqual(otsu, Thresholds.Of(image, ThresholdMethod.Otsu));
        Assert.AreEqual(Thresholds.Li(values), Thresholds.Of(image, ThresholdMethod.Li));
    }
}
