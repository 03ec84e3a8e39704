using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Inference;

[TestClass]
public sealed class TiledInferenceTests
{
    private static ImageBuffer<float> Ramp(ImageShape shape)
    {
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)Math.Sin(i * 0.37) + i * 1e-4f;
        return new ImageBuffer<float>(data, shape);
    }

    [TestMethod]
    public void IdentityNetworkIsReproducedExactlyAcrossTilesAndPadding()
    {
        var image = Ramp(ImageShape.Of2D(70, 83));
        var tiling = new TilingOptions { TileSize = 32, Overlap = 0.25 };
        var output = TiledInference.Run(image, x => x.clone(), tiling);
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual(image.Data[i], output.Data[i], 1e-5f, $"pixel {i}");
    }

    [TestMethod]
    public void IdentityIsReproducedForVolumes()
    {
        var image = Ramp(ImageShape.Of3D(9, 21, 30));
        var output = TiledInference.Run(image, x => x.clone(), new TilingOptions { TileSize = 12, TileDepth = 4, Overlap = 0.5 });
        for (int i = 0; i < image.Data.Length; i++)
            Assert.AreEqual(image.Data[i], output.Data[i], 1e-5f, $"voxel {i}");
    }

    [TestMethod]
    public void NetworkSeesSidesThatAreMultiplesOfFour()
    {
        var seen = new List<long[]>();
        TiledInference.Run(Ramp(ImageShape.Of2D(37, 50)), x =>
        {
            seen.Add(x.shape);
            return x.clone();
        }, new TilingOptions { TileSize = 24 });
        Assert.IsNotEmpty(seen);
        foreach (var shape in seen)
        {
            Assert.AreEqual(0, shape[2] % 4, $"height {shape[2]}");
            Assert.AreEqual(0, shape[3] % 4, $"width {shape[3]}");
        }
    }

    [TestMethod]
    public void TileStartsCoverTheAxisWithTheRequestedOverlap()
    {
        var starts = TiledInference.TileStarts(100, 32, 8);
        Assert.AreEqual(0, starts[0]);
        Assert.AreEqual(100 - 32, starts[^1]);
        for (int i = 1; i < starts.Length; i++)
            Assert.IsLessThanOrEqualTo(24, starts[i] - starts[i - 1], "gap between tiles");
        CollectionAssert.AreEqual(new[] { 0 }, TiledInference.TileStarts(20, 32, 8));
    }

    [TestMethod]
    public void InvalidTilingIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TilingOptions { Overlap = 0.9 }.Validate());
        Assert.AreEqual("Overlap", e.ParamName);
    }
}
