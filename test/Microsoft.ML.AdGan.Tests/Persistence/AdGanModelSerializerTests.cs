using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;

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
        Assert.ThrowsExactly<ArgumentException>(() => model.Decode(volume));
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
