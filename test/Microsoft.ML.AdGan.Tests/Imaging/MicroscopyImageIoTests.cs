using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

using Microsoft.ML.AdGan.Tests;

namespace Microsoft.ML.AdGan.Tests.Imaging;

[TestClass]
public sealed class MicroscopyImageIoTests
{
    private static ushort[] Ramp16(int n) => Enumerable.Range(0, n).Select(i => (ushort)(i * 997 % 65536)).ToArray();

    private static byte[] Ramp8(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 % 256)).ToArray();

    [TestMethod]
    [DataRow("img.png")]
    [DataRow("img.tif")]
    public void EightBitRoundTrip(string name)
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(13, 17);
        var data = Ramp8((int)shape.Length);
        MicroscopyImageWriter.Write8(dir.File(name), data, shape);
        var read = MicroscopyImageReader.ReadImage(dir.File(name));
        Assert.AreEqual(8, read.BitsPerSample);
        Assert.AreEqual(255.0, read.MaxValue);
        Assert.AreEqual(shape, read.Image.Shape);
        CollectionAssert.AreEqual(data.Select(b => (float)b).ToArray(), read.Image.Data);
    }

    [TestMethod]
    [DataRow("img.png", false)]
    [DataRow("img.tif", false)]
    [DataRow("img.tiff", true)]
    public void SixteenBitRoundTrip(string name, bool deflate)
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(31, 29);
        var data = Ramp16((int)shape.Length);
        data[0] = ushort.MaxValue;
        MicroscopyImageWriter.Write16(dir.File(name), data, shape, options: new MicroscopyWriteOptions { CompressTiff = deflate });
        var read = MicroscopyImageReader.ReadImage(dir.File(name));
        Assert.AreEqual(16, read.BitsPerSample);
        Assert.AreEqual(65535.0, read.MaxValue);
        Assert.AreEqual(1, read.Channels);
        CollectionAssert.AreEqual(data.Select(b => (float)b).ToArray(), read.Image.Data);
    }

    [TestMethod]
    public void LzwTiffWrittenByImageSharpIsRead()
    {
        // ImageSharp 2.1 encodes LZW TIFF at 8 bits (grey) and 24 bits (RGB) only.
        using var dir = new TempFolder();
        var path = dir.File("lzw.tif");
        var pixels = Ramp8(40 * 30).Select(v => new L8(v)).ToArray();
        using (var img = Image.LoadPixelData<L8>(pixels, 40, 30))
            img.SaveAsTiff(path, new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit8 });
        var read = MicroscopyImageReader.ReadImage(path);
        Assert.AreEqual(8, read.BitsPerSample);
        Assert.AreEqual(ImageShape.Of2D(30, 40), read.Image.Shape);
        CollectionAssert.AreEqual(pixels.Select(p => (float)p.PackedValue).ToArray(), read.Image.Data);
        Assert.IsNull(read.Image.VoxelSize, "ImageSharp's default 96 dpi is not a microscope calibration.");

        var rgbPath = dir.File("rgb-lzw.tif");
        using (var rgb = Image.LoadPixelData<Rgb24>(new[] { new Rgb24(10, 20, 30), new Rgb24(200, 0, 100) }, 2, 1))
            rgb.SaveAsTiff(rgbPath, new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit24 });
        var red = MicroscopyImageReader.ReadImage(rgbPath, new MicroscopyReadOptions { Channel = 0 });
        Assert.AreEqual(3, red.Channels);
        CollectionAssert.AreEqual(new[] { 10f, 200f }, red.Image.Data);
        CollectionAssert.AreEqual(new[] { 20f, 100f }, MicroscopyImageReader.Read(rgbPath).Data);
    }

    [TestMethod]
    public void MultiPageTiffVolumeRoundTripKeepsVoxelSize()
    {
        using var dir = new TempFolder();
        var path = dir.File("stack.tif");
        var shape = ImageShape.Of3D(5, 12, 9);
        var data = Ramp16((int)shape.Length);
        var size = new VoxelSize(2.0, 0.325, 0.325);
        MicroscopyImageWriter.Write16(path, data, shape, size);

        var volume = MicroscopyImageReader.Read(path);
        Assert.AreEqual(shape, volume.Shape);
        Assert.IsTrue(volume.Shape.Is3D);
        CollectionAssert.AreEqual(data.Select(b => (float)b).ToArray(), volume.Data);
        Assert.IsNotNull(volume.VoxelSize);
        Assert.AreEqual(0.325, volume.VoxelSize.Value.X, 1e-9);
        Assert.AreEqual(0.325, volume.VoxelSize.Value.Y, 1e-9);
        Assert.AreEqual(2.0, volume.VoxelSize.Value.Z, 1e-9);

        var first = MicroscopyImageReader.Read(path, new MicroscopyReadOptions { FirstPageOnly = true });
        Assert.AreEqual(ImageShape.Of2D(12, 9), first.Shape);
        CollectionAssert.AreEqual(data.Take(12 * 9).Select(b => (float)b).ToArray(), first.Data);
    }

    [TestMethod]
    public void EightBitVolumeAndMaskRoundTrip()
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of3D(3, 4, 5);
        var mask = new ImageBuffer<byte>(Enumerable.Range(0, 60).Select(i => (byte)(i % 2)).ToArray(), shape);
        MicroscopyImageWriter.WriteMask(dir.File("m.tif"), mask, scaleTo255: true);
        var read = MicroscopyImageReader.ReadImage(dir.File("m.tif"));
        Assert.AreEqual(8, read.BitsPerSample);
        CollectionAssert.AreEqual(mask.Data.Select(b => b == 0 ? 0f : 255f).ToArray(), read.Image.Data);
    }

    [TestMethod]
    public void RgbChannelChoiceAndAverage()
    {
        using var dir = new TempFolder();
        var path = dir.File("rgb.png");
        var pixels = new[] { new Rgb24(30, 60, 90), new Rgb24(0, 255, 3), new Rgb24(9, 9, 9), new Rgb24(200, 100, 0) };
        using (var img = Image.LoadPixelData<Rgb24>(pixels, 2, 2))
            img.SaveAsPng(path);

        var average = MicroscopyImageReader.ReadImage(path);
        Assert.AreEqual(3, average.Channels);
        CollectionAssert.AreEqual(new[] { 60f, 86f, 9f, 100f }, average.Image.Data);
        var green = MicroscopyImageReader.Read(path, new MicroscopyReadOptions { Channel = 1 });
        CollectionAssert.AreEqual(new[] { 60f, 255f, 9f, 100f }, green.Data);
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(path, new MicroscopyReadOptions { Channel = 3 }));
        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    public void Rgb48PngChannelIsExact()
    {
        using var dir = new TempFolder();
        var path = dir.File("rgb16.png");
        var pixels = new[] { new Rgb48(1000, 40000, 65535), new Rgb48(1, 2, 3) };
        using (var img = Image.LoadPixelData<Rgb48>(pixels, 2, 1))
            img.SaveAsPng(path);
        var blue = MicroscopyImageReader.ReadImage(path, new MicroscopyReadOptions { Channel = 2 });
        Assert.AreEqual(16, blue.BitsPerSample);
        CollectionAssert.AreEqual(new[] { 65535f, 3f }, blue.Image.Data);
    }

    [TestMethod]
    public void JpegAndBmpAreRead()
    {
        using var dir = new TempFolder();
        var pixels = Enumerable.Range(0, 64).Select(i => new L8((byte)(i < 32 ? 40 : 200))).ToArray();
        using (var img = Image.LoadPixelData<L8>(pixels, 8, 8))
        {
            img.SaveAsJpeg(dir.File("a.jpg"), new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 100 });
            img.SaveAsBmp(dir.File("a.bmp"));
        }

        var jpeg = MicroscopyImageReader.ReadImage(dir.File("a.jpg"));
        Assert.AreEqual("JPEG", jpeg.Format);
        Assert.AreEqual(8, jpeg.BitsPerSample);
        Assert.AreEqual(40f, jpeg.Image[0, 0], 3f);
        Assert.AreEqual(200f, jpeg.Image[7, 7], 3f);
        var bmp = MicroscopyImageReader.ReadImage(dir.File("a.bmp"));
        Assert.AreEqual("BMP", bmp.Format);
        CollectionAssert.AreEqual(pixels.Select(p => (float)p.PackedValue).ToArray(), bmp.Image.Data);
    }

    [TestMethod]
    public void ImageJHyperstackChannelsAreInterleavedPages()
    {
        // Pages c0z0, c1z0, c0z1, c1z1 as ImageJ stores a 2-channel, 2-slice hyperstack.
        using var dir = new TempFolder();
        var path = dir.File("hyper.tif");
        var shape = ImageShape.Of3D(4, 1, 2);
        var data = new ushort[] { 10, 11, 100, 101, 20, 21, 200, 201 };
        using (var s = File.Create(path))
            TiffFileWriter.Write(s, shape, 16, 1, z => data.Skip(z * 2).Take(2).SelectMany(v => BitConverter.GetBytes(v)).ToArray(), null, false, "channels=2\n");
        var c1 = MicroscopyImageReader.ReadImage(path, new MicroscopyReadOptions { Channel = 1 });
        Assert.AreEqual(2, c1.Channels);
        Assert.AreEqual(ImageShape.Of3D(2, 1, 2), c1.Image.Shape);
        CollectionAssert.AreEqual(new[] { 100f, 101f, 200f, 201f }, c1.Image.Data);
        CollectionAssert.AreEqual(new[] { 55f, 56f, 110f, 111f }, MicroscopyImageReader.Read(path).Data);
    }

    [TestMethod]
    public void PixelSizeFromTiffResolutionTags()
    {
        using var dir = new TempFolder();
        var path = dir.File("res.tif");
        using (var img = new Image<L8>(8, 6))
        {
            img.Metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerCentimeter;
            img.Metadata.HorizontalResolution = 10_000 / 0.5;   // 0.5 µm pixels
            img.Metadata.VerticalResolution = 10_000 / 0.25;
            img.SaveAsTiff(path, new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit8 });
        }

        var size = MicroscopyImageReader.Read(path).VoxelSize;
        Assert.IsNotNull(size);
        Assert.AreEqual(0.5, size.Value.X, 1e-6);
        Assert.AreEqual(0.25, size.Value.Y, 1e-6);
    }

    [TestMethod]
    public void PixelSizeFromImageJDescriptionAndPng()
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(4, 4);
        var size = new VoxelSize(0, 0.65, 0.65);
        MicroscopyImageWriter.Write8(dir.File("a.tif"), new byte[16], shape, size);
        MicroscopyImageWriter.Write8(dir.File("a.png"), new byte[16], shape, size);
        Assert.AreEqual(0.65, MicroscopyImageReader.Read(dir.File("a.tif")).VoxelSize!.Value.X, 1e-9);
        Assert.AreEqual(0.65, MicroscopyImageReader.Read(dir.File("a.png")).VoxelSize!.Value.X, 1e-3);
        MicroscopyImageWriter.Write8(dir.File("b.png"), new byte[16], shape);
        Assert.IsNull(MicroscopyImageReader.Read(dir.File("b.png")).VoxelSize);
    }

    [TestMethod]
    public void PhysicalSizeParserReadsOmeXmlAndImageJUnits()
    {
        const string ome = "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\">"
            + "<Pixels ID=\"Pixels:0\" DimensionOrder=\"XYZCT\" Type=\"uint16\" SizeX=\"4\" SizeY=\"4\" SizeZ=\"2\" SizeC=\"1\" SizeT=\"1\" "
            + "PhysicalSizeX=\"0.1625\" PhysicalSizeY=\"162.5\" PhysicalSizeYUnit=\"nm\" PhysicalSizeZ=\"1.5\"/></Image></OME>";
        var size = PhysicalSizeParser.FromOmeXml(ome);
        Assert.IsNotNull(size);
        Assert.AreEqual(0.1625, size.Value.X, 1e-12);
        Assert.AreEqual(0.1625, size.Value.Y, 1e-12);
        Assert.AreEqual(1.5, size.Value.Z, 1e-12);

        var page = new TiffDirectory { XResolution = 2, YResolution = 2, ResolutionUnit = 1, ImageDescription = "ImageJ=1.53t\nimages=3\nslices=3\nunit=\\u00B5m\nspacing=0.75\n" };
        var ij = PhysicalSizeParser.FromTiff(page);
        Assert.AreEqual(0.5, ij!.Value.X, 1e-12);
        Assert.AreEqual(0.75, ij.Value.Z, 1e-12);
        Assert.IsNull(PhysicalSizeParser.FromTiff(new TiffDirectory { XResolution = 72, ResolutionUnit = 2 }), "72 dpi is a software default");
    }

    [TestMethod]
    public void LabelMapsAre16BitThen32BitTiffAndPngRefusesLargeCounts()
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(2, 3);
        var small = new ImageBuffer<uint>(new uint[] { 0, 1, 2, 65535, 7, 0 }, shape);
        MicroscopyImageWriter.WriteLabels(dir.File("l.png"), small);
        var readSmall = MicroscopyImageReader.ReadImage(dir.File("l.png"));
        Assert.AreEqual(16, readSmall.BitsPerSample);
        CollectionAssert.AreEqual(small.Data.Select(v => (float)v).ToArray(), readSmall.Image.Data);

        var large = new ImageBuffer<uint>(new uint[] { 0, 1, 70_000, 65536, 7, 1_000_000 }, shape);
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageWriter.WriteLabels(dir.File("big.png"), large));
        StringAssert.Contains(ex.Message, "big.png");
        StringAssert.Contains(ex.Message, "65,535");
        MicroscopyImageWriter.WriteLabels(dir.File("big.tif"), large);
        var readLarge = MicroscopyImageReader.ReadImage(dir.File("big.tif"));
        Assert.AreEqual(32, readLarge.BitsPerSample);
        CollectionAssert.AreEqual(large.Data.Select(v => (float)v).ToArray(), readLarge.Image.Data);
    }

    [TestMethod]
    public void FloatMapsWithExplicitScalingAndFloat32Tiff()
    {
        using var dir = new TempFolder();
        var map = new ImageBuffer<float>(new[] { -1f, 0f, 1f, 2f, -0.498f, float.NaN }, ImageShape.Of2D(2, 3));
        MicroscopyImageWriter.Write(dir.File("map.png"), map, IntensityScaling.SignedUnit());
        CollectionAssert.AreEqual(new[] { 0f, 128f, 255f, 255f, 64f, 0f }, MicroscopyImageReader.Read(dir.File("map.png")).Data);

        MicroscopyImageWriter.WriteFloat32Tiff(dir.File("map.tif"), map, new MicroscopyWriteOptions { CompressTiff = true });
        var replace = new MicroscopyReadOptions { NonFinite = NonFinitePixelPolicy.ReplaceWithMinimum };
        var read = MicroscopyImageReader.ReadImage(dir.File("map.tif"), replace);
        Assert.IsTrue(read.IsFloatingPoint);
        Assert.IsTrue(double.IsNaN(read.MaxValue));
        CollectionAssert.AreEqual(new[] { -1f, 0f, 1f, 2f, -0.498f, -1f }, read.Image.Data);
        Assert.HasCount(1, read.Warnings);
    }

    [TestMethod]
    public void WritingLeavesNoTemporaryFileAndOverwrites()
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(2, 2);
        MicroscopyImageWriter.Write8(dir.File("x.tif"), new byte[] { 1, 2, 3, 4 }, shape);
        MicroscopyImageWriter.Write8(dir.File("x.tif"), new byte[] { 5, 6, 7, 8 }, shape);
        CollectionAssert.AreEqual(new[] { "x.tif" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEqual(new[] { 5f, 6f, 7f, 8f }, MicroscopyImageReader.Read(dir.File("x.tif")).Data);
        Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageWriter.Write8(dir.File("v.png"), new byte[8], ImageShape.Of3D(2, 2, 2)));
        Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageWriter.Write8(dir.File("v.jpg"), new byte[4], shape));
    }

    [TestMethod]
    public void BadFilesRaiseErrorsNamingTheFile()
    {
        using var dir = new TempFolder();
        var empty = dir.File("empty.png");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var garbage = dir.File("garbage.tif");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 300).Select(i => (byte)(i * 31)).ToArray());
        var text = dir.File("notes.png");
        File.WriteAllText(text, "this is not an image");
        MicroscopyImageWriter.Write16(dir.File("whole.tif"), Ramp16(64 * 64), ImageShape.Of2D(64, 64));
        var truncatedTiff = dir.File("truncated.tif");
        var bytes = File.ReadAllBytes(dir.File("whole.tif"));
        File.WriteAllBytes(truncatedTiff, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        MicroscopyImageWriter.Write16(dir.File("whole.png"), Ramp16(64 * 64), ImageShape.Of2D(64, 64));
        var truncatedPng = dir.File("truncated.png");
        bytes = File.ReadAllBytes(dir.File("whole.png"));
        File.WriteAllBytes(truncatedPng, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var gif = dir.File("anim.gif");
        using (var img = new Image<Rgba32>(4, 4))
            img.SaveAsGif(gif);

        foreach (var (path, reason) in new[]
        {
            (empty, "empty"), (garbage, "TIFF"), (text, "unsupported"), (truncatedTiff, "truncated"), (truncatedPng, ""),
            (gif, "GIF"), (dir.File("missing.png"), "not found"),
        })
        {
            var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.Read(path), path);
            StringAssert.Contains(ex.Message, path);
            StringAssert.Contains(ex.Message, reason);
            Assert.AreEqual(path, ex.FilePath);
        }
    }

    [TestMethod]
    public void ReadFolderIsSortedAndReportsEveryBadFile()
    {
        using var dir = new TempFolder();
        var shape = ImageShape.Of2D(2, 2);
        MicroscopyImageWriter.Write8(dir.File("b.png"), new byte[] { 1, 1, 1, 1 }, shape);
        MicroscopyImageWriter.Write8(dir.File("a.tif"), new byte[] { 2, 2, 2, 2 }, shape);
        MicroscopyImageWriter.Write8(dir.File("C.png"), new byte[] { 3, 3, 3, 3 }, shape);
        File.WriteAllText(dir.File("readme.txt"), "ignored: not an image extension");

        var images = MicroscopyImageReader.ReadFolder(dir.Path);
        CollectionAssert.AreEqual(new[] { "C.png", "a.tif", "b.png" }, images.Select(i => Path.GetFileName(i.Path)).ToArray());

        File.WriteAllBytes(dir.File("d.png"), new byte[] { 1, 2, 3 });
        File.WriteAllBytes(dir.File("e.tif"), Array.Empty<byte>());
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.ReadFolder(dir.Path));
        StringAssert.Contains(ex.Message, "2 of 5");
        StringAssert.Contains(ex.Message, dir.File("d.png"));
        StringAssert.Contains(ex.Message, dir.File("e.tif"));
    }
}
