using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.AdGan.Tests.Imaging;

/// <summary>
/// Builds and edits small image files byte by byte, for layouts and headers the writers never make: TIFF stacks with every
/// directory before the pixel data (as ImageJ lays them out), headers that claim more than the file holds, fixed-up PNG CRCs.
/// </summary>
internal static class CraftedFiles
{
    /// <summary>
    /// A little-endian, one-strip-per-page TIFF with all directories first; <paramref name="claimedStripBytes"/> overrides
    /// the byte count every directory states (the data written is still <paramref name="pages"/>).
    /// </summary>
    public static byte[] Tiff(int width, int height, int bitsPerSample, IReadOnlyList<byte[]> pages, int sampleFormat = 1, long? claimedStripBytes = null)
    {
        const int entries = 10, directorySize = 2 + 12 * entries + 4;
        long dataStart = 8 + (long)directorySize * pages.Count;
        var offsets = new List<long>();
        long at = dataStart;
        foreach (var page in pages)
        {
            offsets.Add(at);
            at += page.Length;
        }

        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.ASCII);
        w.Write((byte)'I'); w.Write((byte)'I'); w.Write((ushort)42); w.Write(8u);
        for (int p = 0; p < pages.Count; p++)
        {
            w.Write((ushort)entries);
            Entry(w, 256, 4, (uint)width);
            Entry(w, 257, 4, (uint)height);
            Entry(w, 258, 3, (uint)bitsPerSample);
            Entry(w, 259, 3, 1);
            Entry(w, 262, 3, 1);
            Entry(w, 273, 4, (uint)offsets[p]);
            Entry(w, 277, 3, 1);
            Entry(w, 278, 4, (uint)height);
            Entry(w, 279, 4, (uint)(claimedStripBytes ?? pages[p].Length));
            Entry(w, 339, 3, (uint)sampleFormat);
            w.Write(p + 1 < pages.Count ? (uint)(8 + directorySize * (p + 1)) : 0u);
        }

        foreach (var page in pages)
            w.Write(page);
        w.Flush();
        return stream.ToArray();
    }

    private static void Entry(BinaryWriter w, ushort tag, ushort type, uint value)
    {
        w.Write(tag); w.Write(type); w.Write(1u);
        if (type == 3)
        {
            w.Write((ushort)value);
            w.Write((ushort)0);
        }
        else
        {
            w.Write(value);
        }
    }

    /// <summary>Little-endian float samples.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>Every directory entry of a little-endian TIFF as (position of its value field, tag, type, count).</summary>
    public static List<(int ValueAt, int Tag, int Type, long Count)> TiffEntries(byte[] tiff)
    {
        var result = new List<(int, int, int, long)>();
        long next = BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        while (next != 0 && next + 2 <= tiff.Length && result.Count < 10_000)
        {
            int at = (int)next, count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(at));
            for (int i = 0; i < count && at + 2 + 12 * i + 12 <= tiff.Length; i++)
            {
                int e = at + 2 + 12 * i;
                result.Add((e + 8, BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(e)), BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(e + 2)),
                    BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(e + 4))));
            }

            int link = at + 2 + 12 * count;
            next = link + 4 <= tiff.Length ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(link)) : 0;
        }

        return result;
    }

    /// <summary>Sets a one-value SHORT or LONG tag of every directory that has it (e.g. the width of every page).</summary>
    public static byte[] SetTiffTag(byte[] tiff, int tag, uint value)
    {
        var copy = (byte[])tiff.Clone();
        foreach (var e in TiffEntries(copy).Where(e => e.Tag == tag && e.Count == 1))
        {
            if (e.Type == 3)
                BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(e.ValueAt), (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(e.ValueAt), value);
        }

        return copy;
    }

    /// <summary>A PNG whose IHDR states another size, its CRC fixed so only the size is wrong.</summary>
    public static byte[] PngWithSize(byte[] png, uint width, uint height)
    {
        var copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        FixPngCrc(copy, 8);
        return copy;
    }

    /// <summary>Recomputes the CRC of the PNG chunk starting at <paramref name="chunk"/>.</summary>
    public static void FixPngCrc(byte[] png, int chunk)
    {
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(chunk));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk + 8 + length), Crc(png.AsSpan(chunk + 4, length + 4)));
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }

        return ~c;
    }

    /// <summary>A JPEG whose frame header (SOF0 or SOF2) states another size.</summary>
    public static byte[] JpegWithSize(byte[] jpeg, ushort width, ushort height)
    {
        var copy = (byte[])jpeg.Clone();
        for (int i = 2; i + 9 < copy.Length && copy[i] == 0xFF; i += 2 + BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(i + 2)))
        {
            if (copy[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), width);
                return copy;
            }
        }

        throw new InvalidOperationException("No frame header.");
    }
}
