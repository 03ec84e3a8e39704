using System.Buffers.Binary;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Checks a TIFF page's pixel data before it is decoded (the decoder fills missing data with zeros): every strip or tile
/// lies inside the file, and each decompresses (uncompressed, LZW, Deflate, PackBits) to the bytes its rows need.
/// </summary>
internal static class TiffIntegrity
{
    private const int None = 1, Lzw = 5, Deflate = 8, AdobeDeflate = 32946, PackBits = 32773, YCbCr = 6;

    /// <summary>Checks the ranges and decoded lengths of page <paramref name="pageNumber"/>; throws <see cref="MicroscopyImageException"/> naming the file and what is missing.</summary>
    public static void Check(string name, byte[] bytes, TiffDirectory page, int pageNumber)
    {
        var layout = Layout(name, page, pageNumber);
        CheckRanges(name, bytes, page, pageNumber, layout.Chunks);
        if (page.Photometric == YCbCr)
            return; // chroma subsampling shrinks the rows: ranges only
        for (int i = 0; i < layout.Chunks; i++)
        {
            long offset = page.StripOffsets[i], count = page.StripByteCounts[i];
            long expected = layout.RowsOf(i) * layout.RowBytes;
            var data = bytes.AsSpan((int)offset, (int)count);
            long decoded = page.Compression switch
            {
                None => count,
                Lzw => TiffLzw.DecodedLength(data, expected),
                Deflate or AdobeDeflate => ZlibLength.Count(new MemoryStream(bytes, (int)offset, (int)count, writable: false), expected),
                PackBits => PackBitsLength(data, expected),
                _ => expected, // other codecs: ranges only
            };
            if (decoded < expected)
                throw new MicroscopyImageException(name, $"truncated: {Chunk(page, pageNumber, i)} decodes to {decoded} bytes, {expected} needed for its rows.");
        }
    }

    /// <summary>Checks that the page lists every strip or tile it needs (or, with <paramref name="needed"/> null, at least one) and that each lies inside the file.</summary>
    public static void CheckRanges(string name, byte[] bytes, TiffDirectory page, int pageNumber, long? needed = null)
    {
        long count = needed ?? Math.Max(1, page.StripOffsets.Length);
        if (page.StripOffsets.Length < count || page.StripByteCounts.Length < count)
            throw new MicroscopyImageException(name, $"corrupt: page {pageNumber} lists {page.StripOffsets.Length} {(page.IsTiled ? "tile" : "strip")} offsets "
                + $"and {page.StripByteCounts.Length} byte counts, {count} needed.");
        for (int i = 0; i < count; i++)
        {
            long offset = page.StripOffsets[i], length = page.StripByteCounts[i];
            if (offset < 0 || length < 0 || offset + length > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: {Chunk(page, pageNumber, i)} ({length} bytes at byte {offset}) runs past the end of the file ({bytes.Length} bytes).");
        }
    }

    /// <summary>
    /// The bytes with every RowsPerStrip larger than its page's height set to the height (the same single strip, as TIFF
    /// defines it): ImageSharp allocates a strip buffer of RowsPerStrip rows, so a tiny file stating a huge value would
    /// cost gigabytes. Returns <paramref name="bytes"/> itself when no page needs it, else a patched copy.
    /// </summary>
    public static byte[] WithRowsPerStripWithinPages(byte[] bytes, IReadOnlyList<TiffDirectory> pages)
    {
        byte[]? copy = null;
        bool little = bytes[0] == 'I';
        foreach (var page in pages)
        {
            if (page.RowsPerStripField is not { } field || page.Height <= 0 || page.RowsPerStrip <= page.Height)
                continue;
            copy ??= (byte[])bytes.Clone();
            var target = copy.AsSpan((int)field.Offset);
            if (field.IsShort)
            {
                if (little)
                    BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)page.Height);
                else
                    BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)page.Height);
            }
            else if (little)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)page.Height);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(target, (uint)page.Height);
            }
        }

        return copy ?? bytes;
    }

    private static string Chunk(TiffDirectory page, int pageNumber, int index) => $"{(page.IsTiled ? "tile" : "strip")} {index} of page {pageNumber}";

    /// <summary>How a page is cut into strips or tiles: how many, bytes per decoded row of one, and rows per strip or tile.</summary>
    private readonly record struct ChunkLayout(long Chunks, long RowBytes, long ChunkRows, long StripsPerPlane, long Height)
    {
        /// <summary>Rows of strip or tile <paramref name="index"/>: a tile is always whole, the last strip of a plane may be short.</summary>
        public long RowsOf(long index) => StripsPerPlane == 0 ? ChunkRows : Math.Min(ChunkRows, Height - index % StripsPerPlane * ChunkRows);
    }

    private static ChunkLayout Layout(string name, TiffDirectory page, int pageNumber)
    {
        int planes = page.PlanarConfiguration == 2 ? page.SamplesPerPixel : 1;
        long samples = planes > 1 ? 1 : page.SamplesPerPixel;
        if (page.Width <= 0 || page.Height <= 0)
            throw new MicroscopyImageException(name, $"corrupt: page {pageNumber} states a size of {page.Width} x {page.Height}.");
        if (page.BitsPerSample <= 0 || samples <= 0 || planes <= 0)
            throw new MicroscopyImageException(name, $"corrupt: page {pageNumber} states {page.BitsPerSample} bits x {page.SamplesPerPixel} samples.");
        if (page.IsTiled)
        {
            if (page.TileWidth <= 0 || page.TileLength <= 0)
                throw new MicroscopyImageException(name, $"corrupt: page {pageNumber} has tiles of {page.TileWidth} x {page.TileLength}.");
            long across = (page.Width + (long)page.TileWidth - 1) / page.TileWidth, down = (page.Height + (long)page.TileLength - 1) / page.TileLength;
            return new ChunkLayout(across * down * planes, (page.TileWidth * samples * page.BitsPerSample + 7) / 8, page.TileLength, 0, page.Height);
        }

        if (page.RowsPerStrip <= 0)
            throw new MicroscopyImageException(name, $"corrupt: page {pageNumber} states {page.RowsPerStrip} rows per strip.");
        long rows = Math.Min(page.RowsPerStrip, page.Height), strips = (page.Height + rows - 1) / rows;
        return new ChunkLayout(strips * planes, (page.Width * samples * page.BitsPerSample + 7) / 8, rows, strips, page.Height);
    }

    /// <summary>The decoded length of PackBits data, counting no further than <paramref name="limit"/>.</summary>
    private static long PackBitsLength(ReadOnlySpan<byte> data, long limit)
    {
        long total = 0;
        int i = 0;
        while (i < data.Length && total < limit)
        {
            int header = (sbyte)data[i++];
            if (header >= 0)
            {
                int literal = Math.Min(header + 1, data.Length - i);
                total += literal;
                i += literal;
            }
            else if (header != -128 && i < data.Length)
            {
                total += 1 - header;
                i++;
            }
        }

        return total;
    }
}
