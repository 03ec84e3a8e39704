using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Imaging;

/// <summary>NaN and infinite pixels are an error naming the image and the counts, or, opt-in, the image's finite minimum with a warning.</summary>
[TestClass]
public sealed class NonFinitePixelTests
{
    private static readonly float[] Pixels = { 3f, float.NaN, 5f, float.PositiveInfinity, 1.5f, float.NaN, float.NegativeInfinity, 9f, float.NaN };

    private static string WriteFloatTiff(TempFolder dir, string name, float[] values)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, CraftedFiles.Tiff(3, values.Length / 3, 32, new[] { CraftedFiles.Floats(values) }, sampleFormat: 3));
        return path;
    }

    [TestMethod]
    public void FloatTiffWithNaNOrInfinityIsAnErrorWithTheCounts()
    {
        using var dir = new TempFolder();
        var path = WriteFloatTiff(dir, "map.tif", Pixels);
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(path));
        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "3 NaN and 2 infinite pixels (of 9)");
        StringAssert.Contains(ex.Message, "--non-finite replace");

        var infinite = WriteFloatTiff(dir, "inf.tif", new[] { 1f, float.PositiveInfinity, 2f });
        StringAssert.Contains(Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(infinite)).Message, "0 NaN and 1 infinite");
    }

    [TestMethod]
    public void ReplacementUsesTheFiniteMinimumAndWarns()
    {
        using var dir = new TempFolder();
        var path = WriteFloatTiff(dir, "map.tif", Pixels);
        var read = MicroscopyImageReader.ReadImage(path, new MicroscopyReadOptions { NonFinite = NonFinitePixelPolicy.ReplaceWithMinimum });
        CollectionAssert.AreEqual(new[] { 3f, 1.5f, 5f, 1.5f, 1.5f, 1.5f, 1.5f, 9f, 1.5f }, read.Image.Data);
        Assert.HasCount(1, read.Warnings);
        StringAssert.Contains(read.Warnings[0], path);
        StringAssert.Contains(read.Warnings[0], "3 NaN and 2 infinite");
        StringAssert.Contains(read.Warnings[0], "1.5");

        var clean = WriteFloatTiff(dir, "clean.tif", new[] { 1f, 2f, 3f });
        Assert.IsEmpty(MicroscopyImageReader.ReadImage(clean, new MicroscopyReadOptions { NonFinite = NonFinitePixelPolicy.ReplaceWithMinimum }).Warnings);

        var none = WriteFloatTiff(dir, "none.tif", new[] { float.NaN, float.NaN, float.PositiveInfinity });
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(none, new MicroscopyReadOptions { NonFinite = NonFinitePixelPolicy.ReplaceWithMinimum }));
        StringAssert.Contains(ex.Message, "no pixel is finite");
    }

    [TestMethod]
    public void InMemoryImagesGetTheSamePolicy()
    {
        var shape = ImageShape.Of2D(3, 3);
        Assert.IsNull(NonFinitePixels.Check(new ImageBuffer<float>(new float[9], shape), "row 0", NonFinitePixelPolicy.Error));
        Assert.AreEqual((3L, 2L), NonFinitePixels.Count(Pixels));
        // Long enough for the vectorised scan, with the only NaN in its last, scalar, part.
        var tail = new float[67];
        tail[66] = float.NaN;
        Assert.AreEqual((1L, 0L), NonFinitePixels.Count(tail));

        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => NonFinitePixels.Check(new ImageBuffer<float>((float[])Pixels.Clone(), shape), "row 4 of column 'Image'", NonFinitePixelPolicy.Error));
        StringAssert.Contains(ex.Message, "row 4 of column 'Image'");
        StringAssert.Contains(ex.Message, "3 NaN and 2 infinite");

        var image = new ImageBuffer<float>((float[])Pixels.Clone(), shape);
        var warning = NonFinitePixels.Check(image, "row 4", NonFinitePixelPolicy.ReplaceWithMinimum);
        Assert.IsNotNull(warning);
        Assert.IsTrue(image.Data.All(float.IsFinite));
        Assert.AreEqual(1.5f, image.Data[1]);
    }
}
