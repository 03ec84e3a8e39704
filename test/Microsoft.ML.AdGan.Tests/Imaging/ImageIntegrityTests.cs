using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Imaging;

/// <summary>Files whose data runs short are errors naming the file and what is missing, never images with zeros where data was.</summary>
[TestClass]
public sealed class ImageIntegrityTests
{
    private static byte[] Ramp16Bytes(int pixels, int seed = 0)
        => Enumerable.Range(0, pixels).SelectMany(i => BitConverter.GetBytes((ushort)((i + seed) * 997 % 65536))).ToArray();

    private static MicroscopyImageException ReadFails(string path, byte[] bytes, MicroscopyReadOptions? options = null)
    {
        File.WriteAllBytes(path, bytes);
        var ex = Assert.ThrowsExactly<MicroscopyImageException>(() => MicroscopyImageReader.ReadImage(path, options));
        StringAssert.Contains(ex.Message, path);
        return ex;
    }

    [TestMethod]
    public void TruncatedTiffIsAnErrorNotZeros()
    {
        // A 256 x 256 16-bit image with its directory before the pixels, cut to 70,000 bytes: the directory survives, the rows do not.
        using var dir = new TempFolder();
        var whole = CraftedFiles.Tiff(256, 256, 16, new[] { Ramp16Bytes(256 * 256) });
        File.WriteAllBytes(dir.File("whole.tif"), whole);
        Assert.HasCount(256 * 256, MicroscopyImageReader.Read(dir.File("whole.tif")).Data);

        var ex = ReadFails(dir.File("cut.tif"), whole.AsSpan(0, 70_000).ToArray());
        StringAssert.Contains(ex.Message, "truncated");
        StringAssert.Contains(ex.Message, "strip 0 of page 0");
        StringAssert.Contains(ex.Message, "70000 bytes");
    }

    [TestMethod]
    [DataRow(TiffCompression.None)]
    [DataRow(TiffCompression.Lzw)]
    [DataRow(TiffCompression.Deflate)]
    [DataRow(TiffCompression.PackBits)]
    public void StripThatDecodesShortIsAnError(TiffCompression compression)
    {
        // The strip lies inside the file but holds half the bytes its rows need (the decoder would fill the rest with zeros).
        using var dir = new TempFolder();
        var random = new Random(3);
        var pixels = Enumerable.Range(0, 64 * 48).Select(_ => new L8((byte)random.Next(256))).ToArray();
        using var stream = new MemoryStream();
        using (var image = Image.LoadPixelData<L8>(pixels, 64, 48))
            image.SaveAsTiff(stream, new TiffEncoder { Compression = compression, BitsPerPixel = TiffBitsPerPixel.Bit8 });
        var bytes = stream.ToArray();
        File.WriteAllBytes(dir.File("whole.tif"), bytes);
        CollectionAssert.AreEqual(pixels.Select(p => (float)p.PackedValue).ToArray(), MicroscopyImageReader.Read(dir.File("whole.tif")).Data);

        var strip = CraftedFiles.TiffEntries(bytes).Single(e => e.Tag == 279);
        Assert.AreEqual(1, strip.Count, "one strip");
        uint count = BitConverter.ToUInt32(bytes, strip.ValueAt);
        var ex = ReadFails(dir.File("short.tif"), CraftedFiles.SetTiffTag(bytes, 279, count / 2));
        StringAssert.Contains(ex.Message, "truncated");
        StringAssert.Contains(ex.Message, "strip 0 of page 0");
    }

    [TestMethod]
    public void LzwTiffOfNoiseReadsExactly()
    {
        // Noise fills the LZW table, so codes grow to 12 bits and the table is cleared: the length check must follow all of it.
        using var dir = new TempFolder();
        var random = new Random(5);
        var grey = Enumerable.Range(0, 181 * 97).Select(_ => new L8((byte)random.Next(256))).ToArray();
        using (var image = Image.LoadPixelData<L8>(grey, 181, 97))
            image.SaveAsTiff(dir.File("grey.tif"), new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit8 });
        CollectionAssert.AreEqual(grey.Select(p => (float)p.PackedValue).ToArray(), MicroscopyImageReader.Read(dir.File("grey.tif")).Data);

        var rgb = Enumerable.Range(0, 73 * 41).Select(_ => new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        using (var image = Image.LoadPixelData<Rgb24>(rgb, 73, 41))
            image.SaveAsTiff(dir.File("rgb.tif"), new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit24 });
        CollectionAssert.AreEqual(rgb.Select(p => (float)p.G).ToArray(), MicroscopyImageReader.Read(dir.File("rgb.tif"), new MicroscopyReadOptions { Channel = 1 }).Data);
    }

    [TestMethod]
    [DataRow(16, 1)]
    [DataRow(8, 1)]
    [DataRow(32, 3)]
    public void MultiPageTiffWithATruncatedLaterPageIsAnError(int bits, int sampleFormat)
    {
        using var dir = new TempFolder();
        int pageBytes = 32 * 32 * bits / 8;
        var pages = Enumerable.Range(0, 3).Select(p => bits == 32
            ? CraftedFiles.Floats(Enumerable.Range(0, 32 * 32).Select(i => i * 0.5f + p).ToArray())
            : Enumerable.Range(0, pageBytes).Select(i => (byte)((i * 7 + p) % 251)).ToArray()).ToArray();
        var whole = CraftedFiles.Tiff(32, 32, bits, pages, sampleFormat);
        File.WriteAllBytes(dir.File("whole.tif"), whole);
        Assert.AreEqual(ImageShape.Of3D(3, 32, 32), MicroscopyImageReader.Read(dir.File("whole.tif")).Shape);

        var cut = whole.AsSpan(0, whole.Length - pageBytes / 2).ToArray();
        var ex = ReadFails(dir.File("cut.tif"), cut);
        StringAssert.Contains(ex.Message, "truncated");
        StringAssert.Contains(ex.Message, "page 2");
        // Only the first page is decoded when only it is asked for, and it is whole.
        Assert.AreEqual(ImageShape.Of2D(32, 32), MicroscopyImageReader.Read(dir.File("cut.tif"), new MicroscopyReadOptions { FirstPageOnly = true }).Shape);
    }

    [TestMethod]
    public void PngWithBadCrcMissingIendOrShortDataIsAnError()
    {
        using var dir = new TempFolder();
        var random = new Random(7);
        var pixels = Enumerable.Range(0, 40 * 30).Select(_ => new L8((byte)random.Next(256))).ToArray();
        using var stream = new MemoryStream();
        using (var image = Image.LoadPixelData<L8>(pixels, 40, 30))
            image.SaveAsPng(stream);
        var png = stream.ToArray();

        var flipped = (byte[])png.Clone();
        flipped[png.Length / 2] ^= 0x10;
        StringAssert.Contains(ReadFails(dir.File("flipped.png"), flipped).Message, "CRC");
        StringAssert.Contains(ReadFails(dir.File("no-iend.png"), png.AsSpan(0, png.Length - 12).ToArray()).Message, "IEND");
        StringAssert.Contains(ReadFails(dir.File("cut.png"), png.AsSpan(0, png.Length * 2 / 3).ToArray()).Message, "truncated");
        // The header says 60 rows, the data holds 30: every CRC is right, and the decoder alone would add 30 rows of zeros.
        var tall = ReadFails(dir.File("tall.png"), CraftedFiles.PngWithSize(png, 40, 60));
        StringAssert.Contains(tall.Message, "decompresses to");
        StringAssert.Contains(tall.Message, "40 x 60");
    }

    [TestMethod]
    public void InterlacedAndPalettePngAreRead()
    {
        using var dir = new TempFolder();
        var random = new Random(9);
        var pixels = Enumerable.Range(0, 13 * 11).Select(_ => new L8((byte)random.Next(256))).ToArray();
        using (var image = Image.LoadPixelData<L8>(pixels, 13, 11))
            image.SaveAsPng(dir.File("adam7.png"), new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 });
        CollectionAssert.AreEqual(pixels.Select(p => (float)p.PackedValue).ToArray(), MicroscopyImageReader.Read(dir.File("adam7.png")).Data);

        var colours = new[] { new Rgb24(10, 10, 10), new Rgb24(200, 200, 200), new Rgb24(90, 90, 90) };
        var indexed = Enumerable.Range(0, 9 * 7).Select(i => colours[i % 3]).ToArray();
        using (var image = Image.LoadPixelData<Rgb24>(indexed, 9, 7))
            image.SaveAsPng(dir.File("palette.png"), new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit4 });
        CollectionAssert.AreEqual(indexed.Select(p => (float)p.R).ToArray(), MicroscopyImageReader.Read(dir.File("palette.png")).Data);
    }

    [TestMethod]
    public void JpegWithoutEndMarkerIsAnError()
    {
        using var dir = new TempFolder();
        var pixels = Enumerable.Range(0, 32 * 32).Select(i => new L8((byte)(i % 32 * 8))).ToArray();
        using var stream = new MemoryStream();
        using (var image = Image.LoadPixelData<L8>(pixels, 32, 32))
            image.SaveAsJpeg(stream);
        var jpeg = stream.ToArray();
        File.WriteAllBytes(dir.File("trailing.jpg"), jpeg.Concat(new byte[] { 0, 0, 1, 2 }).ToArray());
        Assert.AreEqual(ImageShape.Of2D(32, 32), MicroscopyImageReader.Read(dir.File("trailing.jpg")).Shape, "bytes after the end marker are ignored");

        StringAssert.Contains(ReadFails(dir.File("no-eoi.jpg"), jpeg.AsSpan(0, jpeg.Length - 2).ToArray()).Message, "end-of-image marker");
        StringAssert.Contains(ReadFails(dir.File("cut.jpg"), jpeg.AsSpan(0, jpeg.Length * 7 / 10).ToArray()).Message, "truncated");
    }

    [TestMethod]
    public void TruncatedBmpIsAnError()
    {
        using var dir = new TempFolder();
        using var stream = new MemoryStream();
        using (var image = new Image<L8>(20, 10))
            image.SaveAsBmp(stream);
        var bmp = stream.ToArray();
        StringAssert.Contains(ReadFails(dir.File("cut.bmp"), bmp.AsSpan(0, bmp.Length - 50).ToArray()).Message, "truncated");
    }
}
