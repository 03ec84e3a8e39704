using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Imaging;

[TestClass]
public sealed class IntensityNormalizerTests
{
    [TestMethod]
    public void PercentileDefaultsMapRobustBoundsAndClip()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        var image = new ImageBuffer<float>(data, ImageShape.Of2D(10, 100));
        var (low, high) = IntensityNormalizer.Bounds(data, new IntensityNormalizerOptions());
        Assert.AreEqual(9.99f, low, 1e-3f);       // numpy.percentile(range(1000), 1)
        Assert.AreEqual(997.002f, high, 1e-3f);   // numpy.percentile(range(1000), 99.8)
        var n = IntensityNormalizer.Normalize(image);
        Assert.AreEqual(-1f, n.Data[0]);
        Assert.AreEqual(1f, n.Data[999]);
        Assert.AreEqual(2 * (500 - low) / (high - low) - 1, n.Data[500], 1e-5f);
        Assert.AreEqual(0f, image.Data[0] - 0f, "the input is not modified");
        Assert.IsTrue(n.Data.All(v => v >= -1 && v <= 1));
    }

    [TestMethod]
    public void Fixed8BitIsTheReferenceMap()
    {
        var data = new[] { 0f, 127.5f, 255f, 51f, 300f };
        IntensityNormalizer.NormalizeInPlace(data, new IntensityNormalizerOptions { Mode = NormalizationMode.Fixed8Bit });
        var expected = new[] { -1f, 0f, 1f, 51f / 127.5f - 1f, 1f };
        for (int i = 0; i < data.Length; i++)
            Assert.AreEqual(expected[i], data[i], 1e-6f);
    }

    [TestMethod]
    public void MinMaxConstantAndUnclipped()
    {
        var data = new[] { 10f, 20f, 30f };
        IntensityNormalizer.NormalizeInPlace(data, new IntensityNormalizerOptions { Mode = NormalizationMode.MinMax });
        CollectionAssert.AreEqual(new[] { -1f, 0f, 1f }, data);

        var constant = new[] { 5f, 5f, 5f };
        IntensityNormalizer.NormalizeInPlace(constant);
        CollectionAssert.AreEqual(new[] { -1f, -1f, -1f }, constant);

        var wide = Enumerable.Range(0, 101).Select(i => (float)i).ToArray();
        IntensityNormalizer.NormalizeInPlace(wide, new IntensityNormalizerOptions { LowPercentile = 10, HighPercentile = 90, Clip = false });
        Assert.AreEqual(-1.25f, wide[0], 1e-5f);
        Assert.AreEqual(1.25f, wide[100], 1e-5f);
    }

    [TestMethod]
    public void InvalidPercentilesAreRejected()
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => IntensityNormalizer.NormalizeInPlace(new float[3], new IntensityNormalizerOptions { LowPercentile = 50, HighPercentile = 40 }));
        StringAssert.Contains(ex.Message, "50");
    }

    /// <summary>Background 100 (70%), dim nuclei 130 (27%) and very bright ones 1000 (3%), with a little noise.</summary>
    private static float[] DimBesideBright()
    {
        var random = new Random(3);
        return Enumerable.Range(0, 10000).Select(i => (i % 100 < 70 ? 100f : i % 100 < 97 ? 130f : 1000f) + (float)random.NextDouble() * 4).ToArray();
    }

    [TestMethod]
    public void LogCompressionLiftsDimValuesButKeepsTheBounds()
    {
        var data = DimBesideBright();
        var linear = IntensityNormalizer.Normalize(new ImageBuffer<float>(data, ImageShape.Of2D(100, 100)));
        var log = IntensityNormalizer.Normalize(new ImageBuffer<float>(data, ImageShape.Of2D(100, 100)), new IntensityNormalizerOptions { Mode = NormalizationMode.Log });
        Assert.AreEqual(linear.Data.Min(), log.Data.Min(), 1e-6f);
        Assert.AreEqual(linear.Data.Max(), log.Data.Max(), 1e-6f);
        // A dim nucleus sits barely above the background linearly and well above it compressed.
        float LinearGap(ImageBuffer<float> n) => n.Data[80] - n.Data[10];
        Assert.IsLessThan(0.1f, LinearGap(linear));
        Assert.IsGreaterThan(0.25f, LinearGap(log));
        var inOrder = data.Select((v, i) => (v, i)).OrderBy(p => p.v).Select(p => log.Data[p.i]).ToArray();
        for (int i = 1; i < inOrder.Length; i++)
            Assert.IsGreaterThanOrEqualTo(inOrder[i - 1], inOrder[i], "monotone");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new IntensityNormalizerOptions { LogCompression = 0 }.Validate());
    }

    [TestMethod]
    public void TheForegroundMedianIgnoresAFewVeryBrightValues()
    {
        var data = DimBesideBright();
        var (low, high) = IntensityNormalizer.Bounds(data, new IntensityNormalizerOptions { Mode = NormalizationMode.ForegroundMedian });
        Assert.AreEqual(100f, low, 1f);
        // The dim nuclei (about 132) are the foreground's median and map to 0; the bright ones clip.
        Assert.AreEqual(100 + 2 * (132 - 100), high, 3f);
        var (_, percentileHigh) = IntensityNormalizer.Bounds(data, new IntensityNormalizerOptions());
        Assert.IsGreaterThan(900f, percentileHigh, "the percentile bound is set by the bright nuclei");

        // Evenly bright: the median of the foreground is its level.
        var even = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? 10f : 50f + i % 7).ToArray();
        var (evenLow, evenHigh) = IntensityNormalizer.Bounds(even, new IntensityNormalizerOptions { Mode = NormalizationMode.ForegroundMedian });
        Assert.AreEqual(10f, evenLow);
        Assert.AreEqual(10 + 2 * (53 - 10), evenHigh, 1.5f);
    }
}
