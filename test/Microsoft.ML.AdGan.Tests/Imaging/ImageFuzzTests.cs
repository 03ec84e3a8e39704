using System.Buffers.Binary;
using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Imaging;

/// <summary>
/// Seeded mutations (truncation, bit flips, header fields) of small valid PNG, TIFF and JPEG files: each mutant decodes or
/// throws <see cref="MicroscopyImageException"/>; no other exception escapes and none hangs.
/// </summary>
[TestClass]
public sealed class ImageFuzzTests
{
    private const int MutationsPerFile = 30;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly uint[] Interesting = { 0, 1, 2, 7, 8, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF };

    [TestMethod]
    public void MutatedFilesDecodeOrThrowTheImageException()
    {
        var random = new Random(20240611);
        var options = new MicroscopyReadOptions { MaxPixels = 1 << 16 };
        var failures = new List<string>();
        int decoded = 0, refused = 0;
        foreach (var (name, bytes) in Seeds())
        {
            Assert.IsNotNull(MicroscopyImageReader.ReadImage(bytes, name, options), name);
            for (int m = 0; m < MutationsPerFile; m++)
            {
                var (mutant, how) = Mutate(name, bytes, random);
                string label = $"{name} mutant {m} ({how})";
                Exception? escaped = null;
                var read = Task.Run(() =>
                {
                    try
                    {
                        MicroscopyImageReader.ReadImage(mutant, label, options);
                        Interlocked.Increment(ref decoded);
                    }
                    catch (MicroscopyImageException)
                    {
                        Interlocked.Increment(ref refused);
                    }
                    catch (Exception ex)
                    {
                        escaped = ex;
                    }
                });
                if (!read.Wait(HangGuard))
                    failures.Add($"{label}: still decoding after {HangGuard.TotalSeconds} s");
                else if (escaped is not null)
                    failures.Add($"{label}: {escaped.GetType().Name}: {escaped.Message}");
            }
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.IsGreaterThan(20, decoded, "some mutants still decode (bit flips in pixel data)");
        Assert.IsGreaterThan(100, refused, "most mutants are refused");
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var random = new Random(11);
        byte[] Noise8(int n) => Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray();
        ushort[] Noise16(int n) => Enumerable.Range(0, n).Select(_ => (ushort)random.Next(65536)).ToArray();
        using var dir = new TempFolder();
        byte[] Written(string file, Action<string> write)
        {
            write(dir.File(file));
            return File.ReadAllBytes(dir.File(file));
        }

        byte[] Encoded<T>(T[] pixels, int width, int height, Action<Image<T>, Stream> save) where T : unmanaged, IPixel<T>
        {
            using var image = Image.LoadPixelData(pixels, width, height);
            using var stream = new MemoryStream();
            save(image, stream);
            return stream.ToArray();
        }

        var shape = ImageShape.Of2D(16, 24);
        yield return ("grey8.png", Written("a.png", p => MicroscopyImageWriter.Write8(p, Noise8(16 * 24), shape)));
        yield return ("grey16.png", Written("b.png", p => MicroscopyImageWriter.Write16(p, Noise16(16 * 24), shape)));
        var rgb = Enumerable.Range(0, 20 * 12).Select(_ => new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        yield return ("rgb.png", Encoded(rgb, 20, 12, (image, s) => image.SaveAsPng(s)));
        yield return ("grey8.tif", Written("a.tif", p => MicroscopyImageWriter.Write8(p, Noise8(16 * 24), shape)));
        yield return ("grey16-deflate.tif", Written("b.tif", p => MicroscopyImageWriter.Write16(p, Noise16(16 * 24), shape, options: new MicroscopyWriteOptions { CompressTiff = true })));
        var grey = Noise8(24 * 16).Select(v => new L8(v)).ToArray();
        yield return ("grey8-lzw.tif", Encoded(grey, 24, 16, (image, s) => image.SaveAsTiff(s, new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit8 })));
        yield return ("rgb-lzw.tif", Encoded(rgb, 20, 12, (image, s) => image.SaveAsTiff(s, new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit24 })));
        yield return ("stack16.tif", Written("c.tif", p => MicroscopyImageWriter.Write16(p, Noise16(3 * 12 * 10), ImageShape.Of3D(3, 12, 10), new VoxelSize(2, 0.5, 0.5))));
        yield return ("stack16-directories-first.tif", CraftedFiles.Tiff(10, 12, 16, Enumerable.Range(0, 3).Select(_ => Noise8(10 * 12 * 2)).ToArray()));
        var map = new ImageBuffer<float>(Enumerable.Range(0, 16 * 24).Select(i => i / 100f - 1f).ToArray(), shape);
        yield return ("float32.tif", Written("d.tif", p => MicroscopyImageWriter.WriteFloat32Tiff(p, map)));
        yield return ("grey.jpg", Encoded(grey, 24, 16, (image, s) => image.SaveAsJpeg(s)));
        yield return ("rgb.jpg", Encoded(rgb, 20, 12, (image, s) => image.SaveAsJpeg(s)));
    }

    private static (byte[] Bytes, string How) Mutate(string name, byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                int length = random.Next(original.Length);
                return (bytes.AsSpan(0, length).ToArray(), $"cut to {length} bytes");
            case 1:
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                if (name.EndsWith(".png", StringComparison.Ordinal) && random.Next(2) == 0)
                {
                    FixAllPngCrcs(bytes);
                    return (bytes, $"{flips} bit flips, CRCs fixed");
                }

                return (bytes, $"{flips} bit flips");
            default:
                uint value = random.Next(3) == 0 ? (uint)random.Next() : Interesting[random.Next(Interesting.Length)];
                return (HeaderField(name, bytes, value, random, out var field), $"{field} = {value}");
        }
    }

    /// <summary>Sets one header field: a TIFF directory entry's value, a PNG IHDR field (CRC fixed), or a JPEG header byte pair.</summary>
    private static byte[] HeaderField(string name, byte[] bytes, uint value, Random random, out string field)
    {
        if (name.EndsWith(".tif", StringComparison.Ordinal))
        {
            var entries = CraftedFiles.TiffEntries(bytes);
            var entry = entries[random.Next(entries.Count)];
            field = $"TIFF tag {entry.Tag}";
            if (entry.Type == 3 && entry.Count <= 2)
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(entry.ValueAt), (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(entry.ValueAt), value);
            return bytes;
        }

        if (name.EndsWith(".png", StringComparison.Ordinal))
        {
            int offset = new[] { 16, 20, 24, 25, 26, 27, 28 }[random.Next(7)];
            field = $"PNG IHDR byte {offset}";
            if (offset < 24)
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), value);
            else
                bytes[offset] = (byte)value;
            CraftedFiles.FixPngCrc(bytes, 8);
            return bytes;
        }

        int at = 2 + random.Next(Math.Min(bytes.Length - 4, 600));
        field = $"JPEG header bytes {at}";
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), (ushort)value);
        return bytes;
    }

    private static void FixAllPngCrcs(byte[] png)
    {
        for (long at = 8; at + 12 <= png.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)at));
            if (at + 12 + length > png.Length)
                return;
            CraftedFiles.FixPngCrc(png, (int)at);
            at += 12 + length;
        }
    }
}
