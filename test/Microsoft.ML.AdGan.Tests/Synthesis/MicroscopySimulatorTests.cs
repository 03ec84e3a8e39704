using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class MicroscopySimulatorTests
{
    private static MicroscopySimulationOptions Small2D(int seed = 1) => new()
    {
        Shape = ImageShape.Of2D(128, 128),
        SemiAxis = (8, 14),
        CountPerImage = (12, 20),
        Seed = seed,
    };

    private static MicroscopySimulationOptions Small3D(int seed = 2) => new()
    {
        Shape = ImageShape.Of3D(12, 48, 48),
        SemiAxis = (4, 7),
        CountPerImage = (6, 12),
        Seed = seed,
    };

    [TestMethod]
    public void DefaultStatisticsMatchTheTargetsAndTheHaCaTRangesOfTheCsv()
    {
        // HaCaT "cellline grown" rows of S-BSST265's image_description.csv: BG 19.4-41.2, FG 91.1-130, S/N 2.8-4.8.
        var options = new MicroscopySimulationOptions { Shape = ImageShape.Of2D(256, 256), SemiAxis = (10, 18), CountPerImage = (20, 40) };
        var image = new MicroscopySimulator(options).Simulate(0);
        var stats = SimulationStatistics.Compute(image.Image, image.Labels);
        Assert.AreEqual(options.BackgroundLevel, stats.BackgroundMean, 0.05 * options.BackgroundLevel, stats.ToString());
        Assert.AreEqual(options.ForegroundLevel, stats.ForegroundMean, 0.05 * options.ForegroundLevel, stats.ToString());
        Assert.AreEqual(options.ForegroundLevel / options.BackgroundLevel, stats.SignalToNoise, 0.3, stats.ToString());
        Assert.IsTrue(stats.BackgroundMean is >= 19.4 and <= 41.2, stats.ToString());
        Assert.IsTrue(stats.ForegroundMean is >= 91.1 and <= 130, stats.ToString());
        Assert.IsTrue(stats.SignalToNoise is >= 2.8 and <= 4.8, stats.ToString());

        // Real HaCaT images show 1.1-2.2 grey levels of pixel noise on the background; not a clean rendering.
        Assert.IsTrue(stats.PixelNoiseStd is > 1.0 and < 3.5, stats.ToString());
        Assert.AreEqual(image.NucleusCount, stats.ObjectCount);
    }

    [TestMethod]
    [DataRow(10.0, 60.0, 8)]
    [DataRow(40.0, 100.0, 8)]
    [DataRow(20.0, 140.0, 16)]
    public void StatisticsFollowOtherTargets(double background, double foreground, int bits)
    {
        var options = Small2D();
        options.BackgroundLevel = background;
        options.ForegroundLevel = foreground;
        options.BitDepth = bits;
        var image = new MicroscopySimulator(options).Simulate(0);
        var stats = SimulationStatistics.Compute(image.Image, image.Labels);
        double scale = bits == 16 ? 257 : 1;
        Assert.AreEqual(background * scale, stats.BackgroundMean, 0.05 * background * scale, stats.ToString());
        Assert.AreEqual(foreground * scale, stats.ForegroundMean, 0.05 * foreground * scale, stats.ToString());
        Assert.AreEqual(foreground / background, stats.SignalToNoise, 0.1 * foreground / background, stats.ToString());
    }

    [TestMethod]
    public void ImagesHoldIntegerCountsWithinTheBitDepth()
    {
        foreach (int bits in new[] { 8, 16 })
        {
            var options = Small2D();
            options.BitDepth = bits;
            var image = new MicroscopySimulator(options).Simulate(0);
            float max = bits == 8 ? 255 : 65535;
            foreach (float v in image.Image.Data)
                Assert.IsTrue(v >= 0 && v <= max && v == MathF.Round(v), $"value {v}");
            Assert.IsGreaterThan(10, image.Image.Data.Distinct().Count());
        }
    }

    [TestMethod]
    public void LabelsAreConsecutiveAndSomeNucleiTouch()
    {
        int touching = 0;
        foreach (var options in new[] { Small2D(3), Small2D(4), Small3D() })
        {
            var image = new MicroscopySimulator(options).Simulate(0);
            var present = image.Labels.Data.Where(l => l != 0).Distinct().OrderBy(l => l).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(1, image.NucleusCount).Select(i => (uint)i).ToArray(), present);
            Assert.IsGreaterThan(0, image.NucleusCount);
            touching += image.TouchingNuclei;
        }

        Assert.IsGreaterThan(0, touching);
    }

    [TestMethod]
    public void ThreeDimensionalVolumesAreAttenuatedWithDepth()
    {
        var options = Small3D();
        options.DepthAttenuation = 0.5;
        options.IlluminationVariation = 0;
        var image = new MicroscopySimulator(options).Simulate(0);
        var stats = SimulationStatistics.Compute(image.Image, image.Labels);
        Assert.AreEqual(options.BackgroundLevel, stats.BackgroundMean, 0.05 * options.BackgroundLevel, stats.ToString());
        Assert.AreEqual(options.ForegroundLevel, stats.ForegroundMean, 0.05 * options.ForegroundLevel, stats.ToString());

        // Mean nuclear intensity in the top third exceeds that in the bottom third.
        var shape = options.Shape;
        int plane = shape.Height * shape.Width, third = shape.Depth / 3;
        double Mean(int z0, int z1)
        {
            double sum = 0;
            int n = 0;
            for (int i = z0 * plane; i < z1 * plane; i++)
            {
                if (image.Labels.Data[i] != 0)
                {
                    sum += image.Image.Data[i];
                    n++;
                }
            }

            return n == 0 ? double.NaN : sum / n;
        }

        Assert.IsGreaterThan(Mean(shape.Depth - third, shape.Depth), Mean(0, third));
    }

    [TestMethod]
    public void SameSeedSameImageDifferentSeedDifferentImage()
    {
        var a = new MicroscopySimulator(Small2D(5));
        var b = new MicroscopySimulator(Small2D(5));
        var first = a.Simulate();
        CollectionAssert.AreEqual(b.Simulate(0).Image.Data, first.Image.Data);
        CollectionAssert.AreEqual(b.Simulate(0).Labels.Data, first.Labels.Data);
        CollectionAssert.AreNotEqual(new MicroscopySimulator(Small2D(6)).Simulate(0).Image.Data, first.Image.Data);
        CollectionAssert.AreNotEqual(a.Simulate().Image.Data, first.Image.Data);
    }

    [TestMethod]
    [DataRow("BitDepth")]
    [DataRow("ForegroundLevel")]
    [DataRow("SemiAxis")]
    [DataRow("TouchingFraction")]
    [DataRow("PhotonsPerLevel")]
    public void InvalidOptionsThrowNamingTheOption(string name)
    {
        var options = Small2D();
        switch (name)
        {
            case "BitDepth": options.BitDepth = 12; break;
            case "ForegroundLevel": options.ForegroundLevel = 10; break;
            case "SemiAxis": options.SemiAxis = (9, 3); break;
            case "TouchingFraction": options.TouchingFraction = 1.5; break;
            case "PhotonsPerLevel": options.PhotonsPerLevel = 0; break;
        }

        var exception = Assert.ThrowsExactly<ArgumentException>(() => new MicroscopySimulator(options));
        Assert.AreEqual(name, exception.ParamName);
        StringAssert.Contains(exception.Message, name);
    }

    [TestMethod]
    public void StatisticsFollowTheCsvDefinition()
    {
        // BG 2 pixels of 10, FG 2 pixels of 40 and 44: BG 10, FG 42, S/N 4.2.
        var image = new ImageBuffer<float>(new float[] { 10, 10, 40, 44 }, ImageShape.Of2D(2, 2));
        var labels = new ImageBuffer<uint>(new uint[] { 0, 0, 1, 2 }, ImageShape.Of2D(2, 2));
        var stats = SimulationStatistics.Compute(image, labels);
        Assert.AreEqual(10, stats.BackgroundMean, 1e-12);
        Assert.AreEqual(42, stats.ForegroundMean, 1e-12);
        Assert.AreEqual(4.2, stats.SignalToNoise, 1e-12);
        Assert.AreEqual(2, stats.ObjectCount);
        Assert.AreEqual(0.5, stats.ForegroundFraction, 1e-12);
    }
}
