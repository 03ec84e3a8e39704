using System.Reflection;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Tools.Demo;

namespace Microsoft.ML.AdGan.Tests.Reporting;

[TestClass]
public sealed class DemoSettingsTests
{
    [TestMethod]
    public void TheImageDemoTrainsWithTheCpuPresetResizedAndItsSimulationsPriors()
    {
        var expected = new AdGanTrainerOptions();
        expected.CropSize = 64;
        expected.BaseChannels = 16;
        expected.BatchSize = 4;
        expected.StyleMlpWidth = 64;
        expected.SnapshotEvery = 100;
        expected.MetricsEvery = 10;
        expected.TimeBudget = TimeSpan.FromMinutes(4);
        expected.Seed = 1;
        expected.Masks.SemiAxis = (8, 13);
        expected.Masks.CountPerPatch = (1, 3); // 25-40 nuclei per 256 x 256 image, scaled to a 64 x 64 crop
        expected.Tiling = new TilingOptions { TileSize = 256 };

        var actual = new DemoSettings().TrainerOptions();

        AssertSameValues(expected, actual, "options");
        Assert.AreEqual((2, 64, 16, 4), (actual.Dimensions, actual.CropSize, actual.BaseChannels, actual.BatchSize));
    }

    [TestMethod]
    public void TheVolumeDemoTrainsWithTheCpuVolumeSizesAndItsSimulationsPriors()
    {
        var expected = new AdGanTrainerOptions();
        expected.Dimensions = 3;
        expected.CropSize = 32;
        expected.CropDepth = 24;
        expected.BaseChannels = 8;
        expected.BatchSize = 2;
        expected.StyleMlpWidth = 64;
        expected.SnapshotEvery = 50;
        expected.MetricsEvery = 10;
        expected.TimeBudget = TimeSpan.FromMinutes(30);
        expected.Seed = 1;
        expected.Masks.SemiAxis = (5, 9);
        expected.Masks.CountPerPatch = (2, 4); // 40-70 nuclei per 48 x 96 x 96 cubic volume, scaled to a 24 x 32 x 32 crop
        expected.Tiling = new TilingOptions { TileSize = 48, TileDepth = 24, Overlap = 0.25, Statistics = TileStatistics.Tile };

        var actual = DemoSettings.Volumes().TrainerOptions();

        AssertSameValues(expected, actual, "options");
        Assert.AreEqual((3, 24, 32, 8, 2), (actual.Dimensions, actual.CropDepth, actual.CropSize, actual.BaseChannels, actual.BatchSize));
    }

    [TestMethod]
    public void TrainerOptionsAreACopyThatLeavesTheSettingsAlone()
    {
        var settings = new DemoSettings { Seed = 7 };
        var options = settings.TrainerOptions();
        options.SnapshotDirectory = "pictures";
        options.Masks.CountPerPatch = (9, 10);

        Assert.AreEqual(7, options.Seed);
        Assert.IsNull(settings.Training.SnapshotDirectory);
        Assert.AreNotEqual((9, 10), settings.Training.Masks.CountPerPatch);
        Assert.AreNotEqual((9, 10), settings.TrainerOptions().Masks.CountPerPatch);
    }

    /// <summary>Compares the public properties of two option objects, descending into nested option classes.</summary>
    private static void AssertSameValues(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.AreEqual(expected is null, actual is null, path);
            return;
        }
        var type = expected.GetType();
        Assert.AreEqual(type, actual.GetType(), path);
        bool hasValueEquality = type.IsValueType || type == typeof(string)
            || type.GetMethod(nameof(Equals), new[] { typeof(object) })!.DeclaringType != typeof(object);
        if (hasValueEquality || expected is Delegate)
        {
            Assert.AreEqual(expected, actual, path);
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            AssertSameValues(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
    }
}
