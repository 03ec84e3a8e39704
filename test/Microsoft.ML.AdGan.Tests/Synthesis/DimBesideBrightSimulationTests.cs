using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class DimBesideBrightSimulationTests
{
    private static MicroscopySimulationOptions SmallDimBright(int seed = 3)
    {
        var o = MicroscopySimulationOptions.DimBesideBright(seed);
        o.Shape = ImageShape.Of2D(160, 160);
        o.SemiAxis = (7, 11);
        o.CountPerImage = (14, 20);
        o.DebrisCount = (6, 10);
        o.BackgroundScale = 20;
        return o;
    }

    private static double MeanOver(SimulatedMicroscopyImage s, Func<int, bool> where)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.Image.Data.Length; i++)
        {
            if (where(i))
            {
                sum += s.Image.Data[i];
                n++;
            }
        }

        return sum / n;
    }

    [TestMethod]
    public void AFewNucleiAreTenToTwentyTimesBrighterThanTheRest()
    {
        var o = SmallDimBright();
        var s = new MicroscopySimulator(o).Simulate(0);
        Assert.IsTrue(s.BrightLabels.Count is >= 2 and <= 4, $"{s.BrightLabels.Count} bright nuclei");
        CollectionAssert.AreEqual(s.BrightLabels.Order().ToArray(), s.BrightLabels.ToArray());
        var bright = s.BrightLabels.ToHashSet();
        var labels = s.Labels.Data;
        double background = MeanOver(s, i => labels[i] == 0);
        double ordinary = MeanOver(s, i => labels[i] != 0 && !bright.Contains(labels[i]));
        double brightest = MeanOver(s, i => bright.Contains(labels[i]));

        // The ordinary nuclei keep the calibrated levels; the bright ones carry 10-20 times their signal (less where they saturate).
        Assert.AreEqual(o.ForegroundLevel * 257, ordinary, 0.08 * o.ForegroundLevel * 257);
        double ratio = (brightest - background) / (ordinary - background);
        Assert.IsTrue(ratio is > 7 and < 21, $"bright / ordinary signal {ratio:F1}");
    }

    [TestMethod]
    public void DebrisLiesUnlabelledOnTheBackgroundAndTheBackgroundIsUneven()
    {
        var o = SmallDimBright();
        var withDebris = new MicroscopySimulator(o).Simulate(0);
        o.DebrisCount = (0, 0);
        var without = new MicroscopySimulator(o).Simulate(0);
        CollectionAssert.AreEqual(without.Labels.Data, withDebris.Labels.Data);
        var labels = withDebris.Labels.Data;
        int brighter = Enumerable.Range(0, labels.Length).Count(i => labels[i] == 0 && withDebris.Image.Data[i] > without.Image.Data[i] + 3 * 257);
        Assert.IsGreaterThan(20, brighter);

        // Block means of the background differ by far more than the pixel noise averages out to.
        var blocks = new List<double>();
        for (int by = 0; by < 160; by += 40)
            for (int bx = 0; bx < 160; bx += 40)
            {
                double sum = 0;
                int n = 0;
                for (int y = by; y < by + 40; y++)
                    for (int x = bx; x < bx + 40; x++)
                        if (without.Labels[y, x] == 0)
                        {
                            sum += without.Image[y, x];
                            n++;
                        }
                if (n > 200)
                    blocks.Add(sum / n);
            }
        Assert.IsGreaterThan(1.3, blocks.Max() / blocks.Min(), string.Join(", ", blocks.Select(b => b.ToString("F0"))));
    }

    [TestMethod]
    public void TheCaseIsReproducibleFromItsSeed()
    {
        var a = new MicroscopySimulator(SmallDimBright(5)).Simulate(1);
        var b = new MicroscopySimulator(SmallDimBright(5)).Simulate(1);
        CollectionAssert.AreEqual(a.Image.Data, b.Image.Data);
        CollectionAssert.AreEqual(a.Labels.Data, b.Labels.Data);
        CollectionAssert.AreEqual(a.BrightLabels.ToArray(), b.BrightLabels.ToArray());
        CollectionAssert.AreNotEqual(a.Image.Data, new MicroscopySimulator(SmallDimBright(6)).Simulate(1).Image.Data);
    }

    [TestMethod]
    public void WithoutTheAdditionsNoNucleusIsMarkedBright()
    {
        var s = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(96, 96), SemiAxis = (6, 9), CountPerImage = (8, 12) }).Simulate(0);
        Assert.IsEmpty(s.BrightLabels);
    }

    [TestMethod]
    public void NucleoliDarkenTheInsideOfLargeNucleiWithoutChangingTheLabels()
    {
        var o = MicroscopySimulationOptions.LargeNuclei(2);
        o.Shape = ImageShape.Of2D(160, 160);
        o.SemiAxis = (18, 26);
        o.CountPerImage = (4, 6);
        var with = new MicroscopySimulator(o).Simulate(0);
        o.NucleoliPerNucleus = (0, 0);
        var without = new MicroscopySimulator(o).Simulate(0);
        CollectionAssert.AreEqual(without.Labels.Data, with.Labels.Data);

        // Dark spots inside: a few percent of the nuclear pixels lose much of their signal.
        int nuclear = with.Labels.Data.Count(l => l != 0);
        int darker = Enumerable.Range(0, nuclear == 0 ? 0 : with.Labels.Data.Length).Count(i => with.Labels.Data[i] != 0 && with.Image.Data[i] < 0.6 * without.Image.Data[i]);
        Assert.IsGreaterThan(0.01 * nuclear, darker, $"{darker} of {nuclear}");
        var elongated = new MicroscopySimulator(MicroscopySimulationOptions.LargeNuclei()).Options;
        Assert.IsGreaterThanOrEqualTo(0.5, elongated.Eccentricity.Min);
    }

    [TestMethod]
    [DataRow("BrightNuclei")]
    [DataRow("BrightGain")]
    [DataRow("DebrisRadius")]
    [DataRow("NucleoliPerNucleus")]
    [DataRow("NucleolusContrast")]
    [DataRow("BackgroundVariation")]
    public void InvalidAdditionsThrowNamingTheOption(string name)
    {
        var options = SmallDimBright();
        switch (name)
        {
            case "BrightNuclei": options.BrightNuclei = (3, 1); break;
            case "BrightGain": options.BrightGain = (5, -1); break;
            case "DebrisRadius": options.DebrisRadius = (0, 2); break;
            case "NucleoliPerNucleus": options.NucleoliPerNucleus = (-1, 2); break;
            case "NucleolusContrast": options.NucleolusContrast = 1.5; break;
            case "BackgroundVariation": options.BackgroundVariation = -0.1; break;
        }

        var exception = Assert.ThrowsExactly<ArgumentException>(() => new MicroscopySimulator(options));
        Assert.AreEqual(name, exception.ParamName);
    }
}
