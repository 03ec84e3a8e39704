using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Imaging;

[TestClass]
public sealed class ImageResamplerTests
{
    private static ImageBuffer<float> RampX(int h, int w)
    {
        var img = new ImageBuffer<float>(ImageShape.Of2D(h, w), new VoxelSize(0, 1, 1));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[y, x] = x;
        return img;
    }

    [TestMethod]
    public void BilinearUpscaleFollowsPixelCentres()
    {
        var up = ImageResampler.Rescale(RampX(4, 8), 2.0);
        Assert.AreEqual(ImageShape.Of2D(8, 16), up.Shape);
        for (int x = 1; x < 15; x++)
            Assert.AreEqual((x + 0.5f) / 2 - 0.5f, up[3, x], 1e-5f, $"x={x}");
        Assert.AreEqual(0.25f, up[0, 0], 1e-5f, "mirrored at the border, as scikit-image");
        Assert.AreEqual(0.5, up.VoxelSize!.Value.X, 1e-12);
    }

    [TestMethod]
    public void DownscaleAveragesPairsWithoutAntiAliasAndKeepsConstantsWithIt()
    {
        var down = ImageResampler.Resize(RampX(4, 8), ImageShape.Of2D(2, 4), antiAlias: false);
        CollectionAssert.AreEqual(new[] { 0.5f, 2.5f, 4.5f, 6.5f }, down.Data.Take(4).ToArray());
        var constant = new ImageBuffer<float>(Enumerable.Repeat(3f, 100 * 90).ToArray(), ImageShape.Of2D(100, 90));
        var small = ImageResampler.Rescale(constant, 0.16);
        Assert.AreEqual(ImageShape.Of2D(16, 14), small.Shape);
        Assert.IsTrue(small.Data.All(v => Math.Abs(v - 3f) < 1e-4f));
    }

    [TestMethod]
    public void NearestKeepsLabelsAndTrilinearScalesVolumes()
    {
        var labels = new ImageBuffer<uint>(new uint[] { 1, 2, 3, 4 }, ImageShape.Of2D(2, 2));
        var up = ImageResampler.RescaleNearest(labels, 2);
        CollectionAssert.AreEqual(new uint[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, up.Data);
        var back = ImageResampler.ResizeNearest(up, labels.Shape);
        CollectionAssert.AreEqual(labels.Data, back.Data);

        var vol = new ImageBuffer<float>(ImageShape.Of3D(2, 2, 2));
        vol[1, 0, 0] = vol[1, 0, 1] = vol[1, 1, 0] = vol[1, 1, 1] = 8;
        var big = ImageResampler.Resize(vol, ImageShape.Of3D(4, 3, 3));
        Assert.AreEqual(ImageShape.Of3D(4, 3, 3), big.Shape);
        Assert.AreEqual(2f, big[1, 1, 1], 1e-5f);   // z source 0.25 of the way from 0 to 8
        Assert.AreEqual(6f, big[2, 0, 2], 1e-5f);
    }

    [TestMethod]
    public void ToIsotropicUsesTheVoxelSize()
    {
        var vol = new ImageBuffer<float>(new float[5 * 10 * 12], ImageShape.Of3D(5, 10, 12), new VoxelSize(2.0, 0.5, 0.5));
        var iso = ImageResampler.ToIsotropic(vol);
        Assert.AreEqual(ImageShape.Of3D(20, 10, 12), iso.Shape);
        Assert.AreEqual(0.5, iso.VoxelSize!.Value.Z, 1e-12);
        var labels = ImageResampler.ToIsotropicNearest(new ImageBuffer<uint>(new uint[5 * 10 * 12], vol.Shape, vol.VoxelSize), 1.0);
        Assert.AreEqual(ImageShape.Of3D(10, 5, 6), labels.Shape);
        Assert.ThrowsExactly<ArgumentException>(() => ImageResampler.ToIsotropic(new ImageBuffer<float>(ImageShape.Of3D(2, 2, 2))));
    }
}
