using Microsoft.ML.AdGan.Imaging;
using SkiaSharp;
using Microsoft.ML.AdGan.Tools.Demo;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class VolumeDemoTests
{
    [TestMethod]
    public void VolumeDemoScoresOnTheStoredGridAndReportsSlicesAndProjections()
    {
        using var folder = new TempFolder();
        var settings = DemoSettings.Volumes();
        settings.OutputDirectory = folder.Path;
        settings.TrainImages = 1;
        settings.TestImages = 1;
        settings.ImageSize = 32;
        settings.Depth = 12;
        settings.CountPerImage = (3, 5);
        settings.Training.CropSize = 24;
        settings.Training.CropDepth = 24;
        settings.Training.BaseChannels = 2;
        settings.Training.BatchSize = 1;
        settings.Training.StyleMlpWidth = 8;
        settings.UseIterations(2);
        settings.Training.SnapshotEvery = 2;
        settings.Training.MetricsEvery = 1;
        settings.Training.Threads = 1;
        var result = DemoRunner.Run(settings);

        Assert.AreEqual(2, result.IterationsDone);
        Assert.AreEqual(1, result.AdGan.ImageCount);
        Assert.IsGreaterThan(0.0, result.SecondsPerIteration);
        Assert.IsGreaterThan(0.0, result.AdGanSecondsPerImage);
        var image = MicroscopyImageReader.Read(folder.File("data/images/test01.tif"));
        Assert.AreEqual(ImageShape.Of3D(12, 32, 32), image.Shape);
        Assert.AreEqual(1.0, image.VoxelSize!.Value.Z, 1e-4);
        string html = File.ReadAllText(result.ReportPath);
        foreach (string referenced in new[] { "overlays/test01_mip.png", "overlays/test01_mip_adgan.png", "overlays/test01_mip_truth.png", "overlays/test01_z003.png", "overlays/test01_z009.png" })
        {
            StringAssert.Contains(html, $"src=\"{referenced}\"");
            using var bitmap = SKBitmap.Decode(Path.Combine(folder.Path, referenced));
            Assert.IsNotNull(bitmap, referenced);
            Assert.AreEqual(32, bitmap.Width);
        }
        StringAssert.Contains(html, "max projection");
        StringAssert.Contains(html, "s per training iteration");
    }

    [TestMethod]
    public void VolumeSettingsRejectAVolumeShallowerThanTheCrop()
    {
        var settings = DemoSettings.Volumes();
        settings.Depth = 8;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(settings.Validate);
        Assert.AreEqual(nameof(DemoSettings.Depth), e.ParamName);
    }
}
