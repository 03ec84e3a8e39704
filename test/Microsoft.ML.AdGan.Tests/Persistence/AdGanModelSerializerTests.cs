using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Persistence;

[TestClass]
public sealed class AdGanModelSerializerTests
{
    internal static AdGanSegmentationModel TinyModel(int dimensions = 2, int seed = 3) =>
        new(new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 2, Dimensions = dimensions, StyleMlpWidth = 8, Seed = seed }),
            new AdGanInferenceSettings { BaseChannels = 2, StyleMlpWidth = 8, Dimensions = dimensions, Tiling = new TilingOptions { TileSize = 32, TileDepth = 8 } });

    internal static ImageBuffer<float> TestImage(int h = 30, int w = 41)
    {
        var data = new float[h * w];
        for (int i = 0; i < data.Length; i++)
            data[i] = 100 + 50 * MathF.Sin(i * 0.1f);
        return new ImageBuffer<float>(data, ImageShape.Of2D(h, w));
    }

    [TestMethod]
    public void RoundTripKeepsIdSettingsAndOutputs()
    {
        using var model = TinyModel();
        var bytes = AdGanModelSerializer.ToBytes(model);
        using var loaded = AdGanModelSerializer.Read(new MemoryStream(bytes), "test");
        Assert.AreEqual(model.Id, loaded.Id);
        Assert.AreEqual(model.Settings.Tiling.TileSize, loaded.Settings.Tiling.TileSize);
        var image = TestImage();
        CollectionAssert.AreEqual(model.Decode(image).Data, loaded.Decode(image).Data);
    }

    [TestMethod]
    public void TheFormatKeepsTheInferenceOptionsAndTheLabelling()
    {
        using var tiny = TinyModel();
        using var model = tiny.WithSettings(tiny.Settings with
        {
            TestTimeAugmentation = true,
            PerImageScale = true,
            TrainedSemiAxis = 7.5,
            Tiling = tiny.Settings.Tiling with { Statistics = TileStatistics.Tile, StatisticsPasses = 2 },
            Decoding = AdGan.PostProcessing.AdGanDecoding.Cores,
            ImageBoundaryBand = 1.5,
            Network = SegmentationNetwork.Generator,
        });
        var bytes = AdGanModelSerializer.ToBytes(model);
        Assert.AreEqual(AdGanModelSerializer.FormatVersion, BitConverter.ToInt32(bytes, 8), "format version");
        using var loaded = AdGanModelSerializer.Read(new MemoryStream(bytes), "current");
        Assert.AreEqual(model.Settings, loaded.Settings);
        Assert.AreEqual(model.Id, loaded.Id);
    }

    /// <summary>A model written by the library before version 2 (TestData/model-v1, saved by main at 7239fbf) reads with the new options off and decodes as it did then.</summary>
    [TestMethod]
    public void VersionOneFilesStillReadAndDecodeAsBefore()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "TestData", "model-v1");
        var expected = ExpectedV1Decoding(Path.Combine(folder, "tiny-v1-decoded-40x54.f32"));
        using var fromBlob = AdGanModelSerializer.Read(File.OpenRead(Path.Combine(folder, "tiny-v1.adgan")), "tiny-v1.adgan");
        Assert.AreEqual(1, BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(folder, "tiny-v1.adgan")), 8), "the file really is version 1");
        Assert.AreEqual(new Guid("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), fromBlob.Id);
        Assert.IsFalse(fromBlob.Settings.TestTimeAugmentation);
        Assert.IsFalse(fromBlob.Settings.PerImageScale);
        Assert.IsNull(fromBlob.Settings.TrainedSemiAxis);
        Assert.AreEqual(0.5, fromBlob.Settings.ImageScale);
        Assert.AreEqual(48, fromBlob.Settings.Tiling.TileSize);
        DecodedMaps.AssertMatches(expected, fromBlob.Decode(V1Image()).Data);

        string zip = Path.Combine(folder, "tiny-v1.zip");
        Assert.AreEqual(1, AdGanModelFile.ReadMarker(zip).FormatVersion);
        AdGanModelCache.Remove(fromBlob.Id);
        var fromZip = AdGanModelFile.LoadModel(new MLContext(), zip);
        DecodedMaps.AssertMatches(expected, fromZip.Decode(V1Image()).Data);
        using var withFlips = AdGanModelFile.LoadModel(new MLContext(), zip, s => s with { TestTimeAugmentation = true });
        Assert.IsTrue(withFlips.Settings.TestTimeAugmentation);
        CollectionAssert.AreNotEqual(expected, withFlips.Decode(V1Image()).Data);
        AdGanModelCache.Remove(fromZip.Id);
    }

    private static ImageBuffer<float> V1Image()
    {
        var data = new float[40 * 54];
        for (int i = 0; i < data.Length; i++)
            data[i] = 100 + 50 * MathF.Sin(i * 0.1f) + 30 * MathF.Cos(i * 0.013f);
        return new ImageBuffer<float>(data, ImageShape.Of2D(40, 54));
    }

    private static float[] ExpectedV1Decoding(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [TestMethod]
    public void TruncatedDataIsReportedAsTruncated()
    {
        using var model = TinyModel();
        var bytes = AdGanModelSerializer.ToBytes(model);
        var e = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelSerializer.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "half.bin"));
        StringAssert.Contains(e.Message, "half.bin");
    }

    [TestMethod]
    public void ForeignAndNewerDataAreRejectedClearly()
    {
        var foreign = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelSerializer.Read(new MemoryStream(new byte[64]), "zeros.bin"));
        StringAssert.Contains(foreign.Message, "not an AD-GAN model");
        using var model = TinyModel();
        var bytes = AdGanModelSerializer.ToBytes(model);
        BitConverter.GetBytes(AdGanModelSerializer.FormatVersion + 1).CopyTo(bytes, 8);
        var newer = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelSerializer.Read(new MemoryStream(bytes), "future.bin"));
        StringAssert.Contains(newer.Message, "version");
    }

    [TestMethod]
    public void DecodeRejectsImagesOfTheWrongDimension()
    {
        using var model = TinyModel();
        var volume = new ImageBuffer<float>(ImageShape.Of3D(4, 8, 8));
        Assert.ThrowsExactly<SegmentationException>(() => model.Decode(volume));
    }

    [TestMethod]
    public void DecodedMapsLieInMinusOneToOneAtTheImageSize()
    {
        using var model = TinyModel();
        var image = TestImage(45, 70);
        var decoded = model.Decode(image);
        Assert.AreEqual(image.Shape, decoded.Shape);
        Assert.IsTrue(decoded.Data.All(v => v >= -1 && v <= 1));
    }
}
