using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Tests.Imaging;

namespace Microsoft.ML.AdGan.Tests.Priors;

[TestClass]
public sealed class PriorsFileTests
{
    private static EstimatedPriors Estimate(double? target = 6)
        => new PriorEstimator(new PriorEstimationOptions { PatchSize = 128, TargetRadius = target })
            .Estimate(PriorEstimatorTests.SimulatedImages(2).Select(i => i.Image).ToList(), new[] { "a.png", "b.png" });

    [TestMethod]
    public void SaveAndLoadRoundTrip()
    {
        using var folder = new TempFolder();
        var priors = Estimate();
        string path = folder.File("sub/priors.json");
        priors.Save(path);
        var loaded = EstimatedPriors.Load(path);
        Assert.AreEqual(priors.PatchSize, loaded.PatchSize);
        Assert.AreEqual(priors.TargetRadius, loaded.TargetRadius);
        Assert.AreEqual(priors.ImageScale, loaded.ImageScale);
        Assert.AreEqual(priors.SemiAxis, loaded.SemiAxis);
        Assert.AreEqual(priors.CountPerPatch, loaded.CountPerPatch);
        Assert.AreEqual(priors.Measured, loaded.Measured);
        Assert.AreEqual(priors.Counts, loaded.Counts);
        Assert.AreEqual(priors.ObjectsMeasured, loaded.ObjectsMeasured);
        Assert.HasCount(2, loaded.Images);
        Assert.AreEqual(priors.Images[1], loaded.Images[1]);
        Assert.AreEqual(priors.ToString(), loaded.ToString());
        StringAssert.Contains(File.ReadAllText(path), "\"semiAxis\"");
    }

    [TestMethod]
    public void NullTargetRoundTripsAsNull()
    {
        using var folder = new TempFolder();
        var priors = Estimate(target: null);
        priors.Save(folder.File("p.json"));
        var loaded = EstimatedPriors.Load(folder.File("p.json"));
        Assert.IsNull(loaded.TargetRadius);
        Assert.AreEqual(1.0, loaded.ImageScale);
    }

    [TestMethod]
    public void LoadErrorsNameTheFile()
    {
        using var folder = new TempFolder();
        string missing = folder.File("missing.json");
        var notFound = Assert.ThrowsExactly<FileNotFoundException>(() => EstimatedPriors.Load(missing));
        StringAssert.Contains(notFound.Message, missing);

        string garbage = folder.File("garbage.json");
        File.WriteAllText(garbage, "{ not json");
        var invalid = Assert.ThrowsExactly<InvalidDataException>(() => EstimatedPriors.Load(garbage));
        StringAssert.Contains(invalid.Message, garbage);

        string other = folder.File("other.json");
        File.WriteAllText(other, "{\"format\": \"something-else\", \"version\": 1}");
        var wrongFormat = Assert.ThrowsExactly<InvalidDataException>(() => EstimatedPriors.Load(other));
        StringAssert.Contains(wrongFormat.Message, other);
        StringAssert.Contains(wrongFormat.Message, "adgan-priors");

        string partial = folder.File("partial.json");
        File.WriteAllText(partial, "{\"format\": \"adgan-priors\", \"version\": 1, \"patchSize\": 256, \"imageScale\": 1, \"countPerPatch\": {\"min\": 1, \"max\": 3}}");
        var missingField = Assert.ThrowsExactly<InvalidDataException>(() => EstimatedPriors.Load(partial));
        StringAssert.Contains(missingField.Message, partial);
        StringAssert.Contains(missingField.Message, "semiAxis");
    }

    [TestMethod]
    public void FolderErrorsNameTheFolderOrFile()
    {
        using var folder = new TempFolder();
        string missing = folder.File("nowhere");
        var notFound = Assert.ThrowsExactly<DirectoryNotFoundException>(() => new PriorEstimator().EstimateFromFolder(missing));
        StringAssert.Contains(notFound.Message, missing);

        var empty = Assert.ThrowsExactly<MicroscopyImageException>(() => new PriorEstimator().EstimateFromFolder(folder.Path));
        StringAssert.Contains(empty.Message, folder.Path);

        string broken = folder.File("broken.png");
        File.WriteAllText(broken, "this is not a png");
        var unreadable = Assert.ThrowsExactly<MicroscopyImageException>(() => new PriorEstimator().EstimateFromFolder(folder.Path));
        StringAssert.Contains(unreadable.Message, broken);
    }

    [TestMethod]
    public void EstimateFromFolderReadsTheImages()
    {
        using var folder = new TempFolder();
        var images = PriorEstimatorTests.SimulatedImages(2);
        for (int i = 0; i < images.Count; i++)
            MicroscopyImageWriter.Write(folder.File($"img{i}.png"), images[i].Image, IntensityScaling.Raw(8));
        var fromFiles = new PriorEstimator().EstimateFromFolder(folder.Path);
        var inMemory = new PriorEstimator().Estimate(images.Select(i => i.Image).ToList());
        Assert.HasCount(2, fromFiles.Images);
        Assert.AreEqual(folder.File("img0.png"), fromFiles.Images[0].Name);
        Assert.AreEqual(inMemory.Measured.Median, fromFiles.Measured.Median, 0.05 * inMemory.Measured.Median);
    }
}
