using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Samples;

/// <summary>Request bodies for the service tests, written byte by byte: decompression bombs, float TIFFs, held uploads.</summary>
internal static class ServiceBodies
{
    /// <summary>An 8-bit greyscale PNG of <paramref name="width"/> x <paramref name="height"/> zeros: a few kB that decode to width x height pixels.</summary>
    public static byte[] PngOfZeros(int width, int height)
    {
        var rows = Zlib(height, width + 1); // each row: filter byte 0, then zeros
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", rows);
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    /// <summary>A Deflate-compressed 8-bit TIFF of zeros (one strip).</summary>
    public static byte[] TiffOfZeros(int width, int height) => Tiff(width, height, 8, sampleFormat: 1, compression: 8, Zlib(height, width));

    /// <summary>An uncompressed 32-bit float TIFF of <paramref name="values"/> (row-major).</summary>
    public static byte[] FloatTiff(int width, int height, float[] values)
    {
        var data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        return Tiff(width, height, 32, sampleFormat: 3, compression: 1, data);
    }

    /// <summary>The encoded bytes of an image written by the library (8-bit PNG).</summary>
    public static byte[] Png(ImageBuffer<float> image, TempFolder folder, string name)
    {
        string path = folder.File(name + ".png");
        MicroscopyImageWriter.Write(path, image, IntensityScaling.Raw(8));
        return File.ReadAllBytes(path);
    }

    private static byte[] Zlib(int rows, int rowLength)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[rowLength];
            for (int y = 0; y < rows; y++)
                zlib.Write(row);
        }
        return compressed.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typed));
        png.Write(crc);
    }

    private static byte[] Tiff(int width, int height, int bits, int sampleFormat, int compression, byte[] strip)
    {
        var entries = new (ushort Tag, ushort Type, uint Value)[]
        {
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, (uint)bits), (259, 3, (uint)compression), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, (uint)height), (279, 4, (uint)strip.Length), (339, 3, (uint)sampleFormat),
        };
        int ifd = 8, dataOffset = ifd + 2 + entries.Length * 12 + 4;
        var bytes = new byte[dataOffset + strip.Length];
        "II*\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(ifd), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var (tag, type, value) = entries[i];
            var at = bytes.AsSpan(ifd + 2 + i * 12);
            BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], 1);
            if (type == 3)
                BinaryPrimitives.WriteUInt16LittleEndian(at[8..], (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(at[8..], tag == 273 ? (uint)dataOffset : value);
        }
        strip.CopyTo(bytes, dataOffset);
        return bytes;
    }
}

/// <summary>A body that is sent except for its last byte until <see cref="Release"/>: the request is admitted but still uploading.</summary>
internal sealed class HeldContent(byte[] body) : HttpContent
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, body.Length - 1));
        await stream.FlushAsync();
        await _release.Task;
        await stream.WriteAsync(body.AsMemory(body.Length - 1));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
