using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Imaging;

/// <summary>Headers that claim huge images are refused from the header, before any pixel buffer exists; no huge image is ever encoded.</summary>
[TestClass]
public sealed class PixelBudgetTests
{
    private static readonly MicroscopyReadOptions Server = new() { MaxPixels = MicroscopyReadOptions.ServerMaxPixels };

    /// <summary>Reads <paramref name="bytes"/>, expecting an error naming the file; also checks the read allocated little.</summary>
    private static string Refused(TempFolder dir, string name, byte[] bytes, MicroscopyReadOptions? options = null)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.ReadImage(path, options));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsLessThan(32L << 20, allocated, $"refusing {name} allocated {allocated:N0} bytes");
        StringAssert.Contains(ex.Message, path);
        return ex.Message;
    }

    private static void AssertBudgetMessage(string message, string size)
    {
        StringAssert.Contains(message, size);
        StringAssert.Contains(message, "pixel budget");
        StringAssert.Contains(message, "MicroscopyReadOptions.MaxPixels");
        StringAssert.Contains(message, "--max-pixels");
    }

    private static byte[] SmallPng()
    {
        using var stream = new MemoryStream();
        using (var image = new Image<L8>(8, 8))
            image.SaveAsPng(stream);
        return stream.ToArray();
    }

    [TestMethod]
    public void TiffHeaderBombIsRefusedWithoutAllocating()
    {
        using var dir = new TempFolder();
        // About 160 bytes claiming 20000 x 20000 16-bit pixels (800 MB of strip).
        var bomb = CraftedFiles.Tiff(20000, 20000, 16, new[] { new byte[26] }, claimedStripBytes: 20000L * 20000 * 2);
        Assert.IsLessThan(200, bomb.Length);
        AssertBudgetMessage(Refused(dir, "bomb.tif", bomb, Server), "20000 x 20000");
        // Within the library's default budget the header passes, and the strip is found to run past the end of the file.
        StringAssert.Contains(Refused(dir, "bomb-default.tif", bomb), "runs past the end of the file");

        var stack = CraftedFiles.Tiff(8192, 8192, 8, Enumerable.Range(0, 4).Select(_ => new byte[4]).ToArray(), claimedStripBytes: 8192L * 8192);
        AssertBudgetMessage(Refused(dir, "stack.tif", stack, Server), "4 pages of 8192 x 8192");
    }

    [TestMethod]
    public void PngHeaderBombIsRefusedWithoutAllocating()
    {
        using var dir = new TempFolder();
        var png = SmallPng();
        AssertBudgetMessage(Refused(dir, "huge.png", CraftedFiles.PngWithSize(png, 40000, 40000)), "40000 x 40000");
        AssertBudgetMessage(Refused(dir, "server.png", CraftedFiles.PngWithSize(png, 20000, 20000), Server), "20000 x 20000");
        StringAssert.Contains(Refused(dir, "default.png", CraftedFiles.PngWithSize(png, 20000, 20000)), "decompresses to");
    }

    [TestMethod]
    public void JpegAndBmpHeaderBombsAreRefused()
    {
        using var dir = new TempFolder();
        using var jpeg = new MemoryStream();
        using var bmp = new MemoryStream();
        using (var image = new Image<L8>(16, 16))
        {
            image.SaveAsJpeg(jpeg);
            image.SaveAsBmp(bmp);
        }

        AssertBudgetMessage(Refused(dir, "huge.jpg", CraftedFiles.JpegWithSize(jpeg.ToArray(), 60000, 60000)), "60000 x 60000");
        var header = bmp.ToArray();
        BitConverter.GetBytes(40000).CopyTo(header, 18);
        BitConverter.GetBytes(40000).CopyTo(header, 22);
        AssertBudgetMessage(Refused(dir, "huge.bmp", header), "40000 x 40000");
    }

    [TestMethod]
    public void RealImageOverTheBudgetGetsTheSameMessage()
    {
        using var dir = new TempFolder();
        var small = new MicroscopyReadOptions { MaxPixels = 1000 };
        MicroscopyImageWriter.Write8(dir.File("a.png"), new byte[64 * 64], ImageShape.Of2D(64, 64));
        MicroscopyImageWriter.Write16(dir.File("a.tif"), new ushort[2 * 20 * 30], ImageShape.Of3D(2, 20, 30));
        var png = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(dir.File("a.png"), small)).Message;
        AssertBudgetMessage(png, "64 x 64 = 4,096 pixels");
        StringAssert.Contains(png, "--max-pixels 4096");
        AssertBudgetMessage(Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(dir.File("a.tif"), small)).Message, "2 pages of 30 x 20");
        Assert.AreEqual(ImageShape.Of2D(20, 30), MicroscopyImageReader.Read(dir.File("a.tif"), new MicroscopyReadOptions { MaxPixels = 600, FirstPageOnly = true }).Shape);
        Assert.AreEqual(ImageShape.Of2D(64, 64), MicroscopyImageReader.Read(dir.File("a.png"), new MicroscopyReadOptions { MaxPixels = 4096 }).Shape);
    }

    [TestMethod]
    public void OptionsAreValidated()
    {
        Assert.AreEqual(1L << 30, new MicroscopyReadOptions().MaxPixels);
        var bytes = SmallPng();
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MicroscopyImageReader.ReadImage(bytes, "a.png", new MicroscopyReadOptions { MaxPixels = 0 }));
        Assert.AreEqual("MaxPixels", ex.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MicroscopyImageReader.ReadImage(bytes, "a.png", new MicroscopyReadOptions { NonFinite = (NonFinitePixelPolicy)7 }));
    }
}
