using Microsoft.ML.AdGan.Persistence;
using SkiaSharp;
using Microsoft.ML.AdGan.Estimators;
using Microsoft.ML.AdGan.Tools.Demo;

namespace Microsoft.ML.AdGan.Tests.Reporting;

[TestClass]
public sealed class DemoRunnerTests
{
    private static DemoSettings Tiny(string folder) => new()
    {
        OutputDirectory = folder,
        TrainImages = 2,
        TestImages = 2,
        ImageSize = 48,
        SemiAxis = (4, 6),
        CountPerImage = (3, 5),
        Seed = 3,
        Training =
        {
            Iterations = 2,
            DecayIterations = 2,
            TimeBudget = null,
            CropSize = 24,
            BaseChannels = 2,
            BatchSize = 2,
            StyleMlpWidth = 8,
            Threads = 1,
            SnapshotEvery = 2,
            MetricsEvery = 1,
        },
    };

    [TestMethod]
    public void DemoRunsEndToEndAndWritesReportModelAndPictures()
    {
        using var folder = new TempFolder();
        var lines = new List<string>();
        var result = DemoRunner.Run(Tiny(folder.Path), lines.Add);

        Assert.AreEqual(folder.File("report.html"), result.ReportPath);
        Assert.IsTrue(File.Exists(result.ReportPath));
        Assert.IsTrue(File.Exists(folder.File("model.zip")));
        Assert.AreEqual(4, result.IterationsDone);
        Assert.AreEqual(2, AdGanModelFile.ReadMarker(result.ModelPath).BaseChannels);
        Assert.AreEqual(2, result.AdGan.ImageCount);
        Assert.AreEqual(2, result.Baseline.ImageCount);
        Assert.IsTrue(double.IsFinite(result.Baseline.Dice) && double.IsFinite(result.AdGan.Dice), "scores are numbers");
        string html = File.ReadAllText(result.ReportPath);
        foreach (string picture in result.Pictures)
        {
            string path = Path.Combine(folder.Path, picture);
            Assert.IsTrue(File.Exists(path), picture);
            using var bitmap = SKBitmap.Decode(path);
            Assert.IsNotNull(bitmap, $"{picture} is a PNG");
        }
        foreach (string referenced in new[] { "losses.png", "overlays/test01_adgan.png", "overlays/test02_truth.png", "training/translations_000004.png" })
        {
            StringAssert.Contains(html, $"src=\"{referenced}\"");
            Assert.IsTrue(File.Exists(Path.Combine(folder.Path, referenced)), referenced);
        }
        StringAssert.Contains(html, "AJI");
        StringAssert.Contains(html, "F1@0.5");
        Assert.IsTrue(lines.Any(l => l.StartsWith("AD-GAN", StringComparison.Ordinal)), "the headline scores are logged");
        using var overlay = SKBitmap.Decode(folder.File("overlays/test01_image.png"));
        Assert.AreEqual(48, overlay.Width);
    }

    [TestMethod]
    public void BaselineMinDiameterFollowsThePriors()
    {
        var options = new Microsoft.ML.AdGan.Synthesis.MicroscopySimulationOptions { SemiAxis = (8, 12), Eccentricity = (0.2, 0.6) };
        Assert.AreEqual(12.8, DemoRunner.BaselineMinDiameter(options), 1e-9);
    }

    [TestMethod]
    public void SettingsRejectAnImageSmallerThanTheCrop()
    {
        var settings = Tiny("unused");
        settings.ImageSize = 16;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(settings.Validate);
        Assert.AreEqual(nameof(DemoSettings.ImageSize), e.ParamName);
    }
}
