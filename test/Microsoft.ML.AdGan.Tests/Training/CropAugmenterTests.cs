using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

[TestClass]
public sealed class CropAugmenterTests
{
    private static ImageBuffer<float> Indexed(int h, int w)
    {
        var data = new float[h * w];
        for (int i = 0; i < data.Length; i++)
            data[i] = i;
        return new ImageBuffer<float>(data, ImageShape.Of2D(h, w));
    }

    [TestMethod]
    public void WithoutRotationOrFlipsTheCropIsAWindowOfTheImage()
    {
        var image = Indexed(40, 50);
        var crop = new float[16 * 16];
        CropAugmenter.Crop(image, 1, 16, new AugmentationOptions { MaxRotationDegrees = 0, Flips = false }, new Random(3), crop, 0);
        int y0 = (int)crop[0] / 50, x0 = (int)crop[0] % 50;
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                Assert.AreEqual(image[y0 + y, x0 + x], crop[y * 16 + x], 1e-3f);
    }

    [TestMethod]
    public void RotationKeepsValuesInsideTheImageRange()
    {
        var image = Indexed(30, 30);
        var crop = new float[24 * 24];
        for (int seed = 0; seed < 20; seed++)
        {
            CropAugmenter.Crop(image, 1, 24, new AugmentationOptions(), new Random(seed), crop, 0);
            Assert.IsTrue(crop.All(v => v >= 0 && v <= 899), $"seed {seed}");
        }
    }

    [TestMethod]
    public void CropsLargerThanTheImageAreReflected()
    {
        var image = Indexed(5, 5);
        var crop = new float[8 * 8];
        CropAugmenter.Crop(image, 1, 8, new AugmentationOptions { MaxRotationDegrees = 0, Flips = false }, new Random(1), crop, 0);
        Assert.IsTrue(crop.All(v => v >= 0 && v <= 24));
        Assert.AreEqual(0, CropAugmenterReflect(-1 + 1));
        Assert.AreEqual(1, CropAugmenterReflect(-1));
        Assert.AreEqual(3, CropAugmenterReflect(5));
    }

    private static int CropAugmenterReflect(int i) => CropAugmenter.Reflect(i, 5);

    [TestMethod]
    public void VolumeCropsHaveTheRequestedDepth()
    {
        var data = new float[6 * 20 * 20];
        for (int i = 0; i < data.Length; i++)
            data[i] = i / 400; // slice index
        var volume = new ImageBuffer<float>(data, ImageShape.Of3D(6, 20, 20));
        var crop = new float[4 * 8 * 8];
        CropAugmenter.Crop(volume, 4, 8, new AugmentationOptions(), new Random(5), crop, 0);
        var slices = Enumerable.Range(0, 4).Select(z => crop[z * 64 + 10]).ToArray();
        for (int z = 1; z < 4; z++)
            Assert.AreEqual(slices[z - 1] + 1, slices[z], 1e-4f, "consecutive slices");
    }
}
