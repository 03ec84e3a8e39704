using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>One image file directory (page) of a classic TIFF file: the tags this library needs, parsed without decoding pixels.</summary>
internal sealed class TiffDirectory
{
    internal const ushort TagNewSubfileType = 254, TagImageWidth = 256, TagImageLength = 257, TagBitsPerSample = 258,
        TagCompression = 259, TagPhotometric = 262, TagImageDescription = 270, TagStripOffsets = 273,
        TagSamplesPerPixel = 277, TagRowsPerStrip = 278, TagStripByteCounts = 279, TagXResolution = 282,
        TagYResolution = 283, TagPlanarConfiguration = 284, TagResolutionUnit = 296, TagPredictor = 317,
        TagSampleFormat = 339, TagTileWidth = 322, TagTileLength = 323, TagTileOffsets = 324, TagTileByteCounts = 325;

    public int Width { get; init; }
    public int Height { get; init; }
    public int BitsPerSample { get; init; } = 1;
    public int SamplesPerPixel { get; init; } = 1;
    public int Compression { get; init; } = 1;
    public int Photometric { get; init; } = 1;
    public int SampleFormat { get; init; } = 1;
    public int PlanarConfiguration { get; init; } = 1;
    public int Predictor { get; init; } = 1;
    public int RowsPerStrip { get; init; } = int.MaxValue;

    /// <summary>Where the RowsPerStrip value sits in the file and whether it is a SHORT (else a LONG); null when the tag is absent.</summary>
    public (long Offset, bool IsShort)? RowsPerStripField { get; init; }
    public bool IsTiled { get; init; }
    public int TileWidth { get; init; }
    public int TileLength { get; init; }

    /// <summary>Where each strip starts (each tile, for tiled pages).</summary>
    public long[] StripOffsets { get; init; } = Array.Empty<long>();

    /// <summary>The stored (compressed) size of each strip (each tile, for tiled pages).</summary>
    public long[] StripByteCounts { get; init; } = Array.Empty<long>();
    public double? XResolution { get; init; }
    public double? YResolution { get; init; }
    public int ResolutionUnit { get; init; } = 2;
    public string? ImageDescription { get; init; }
    public int NewSubfileType { get; init; }

    /// <summary>True when the bytes start with a classic or big TIFF header.</summary>
    public static bool LooksLikeTiff(ReadOnlySpan<byte> head)
        => head.Length >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
            || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));

    /// <summary>Reads every directory of a classic TIFF file; throws <see cref="MicroscopyImageException"/> on malformed structure.</summary>
    public static IReadOnlyList<TiffDirectory> ReadAll(string path, byte[] bytes)
    {
        if (bytes.Length < 8 || !LooksLikeTiff(bytes))
            throw new MicroscopyImageException(path, "not a TIFF file (bad header).");
        bool little = bytes[0] == 'I';
        int magic = little ? bytes[2] : bytes[3];
        if (magic == 43)
            throw new MicroscopyImageException(path, "BigTIFF (files over 4 GB) is not supported.");
        var reader = new Reader(bytes, little, path);
        var result = new List<TiffDirectory>();
        long offset = reader.U32(4);
        var seen = new HashSet<long>();
        while (offset != 0)
        {
            if (!seen.Add(offset) || result.Count > 100_000)
                throw new MicroscopyImageException(path, "the TIFF directory chain loops.");
            if (offset < 8 || offset + 2 > bytes.Length)
                throw new MicroscopyImageException(path, $"truncated: directory offset {offset} lies outside the file ({bytes.Length} bytes).");
            int count = reader.U16(offset);
            long end = offset + 2 + 12L * count;
            if (end + 4 > bytes.Length)
                throw new MicroscopyImageException(path, "truncated: a TIFF directory runs past the end of the file.");
            var tags = new Dictionary<ushort, (int Type, long Count, long ValueOffset)>();
            for (int i = 0; i < count; i++)
            {
                long e = offset + 2 + 12L * i;
                ushort tag = (ushort)reader.U16(e);
                int type = reader.U16(e + 2);
                long n = reader.U32(e + 4);
                long size = n * TypeSize(type);
                long valueAt = size <= 4 ? e + 8 : reader.U32(e + 8);
                if (size > 4 && valueAt + size > bytes.Length)
                    throw new MicroscopyImageException(path, $"truncated: TIFF tag {tag} points past the end of the file.");
                tags[tag] = (type, n, valueAt);
            }

            long[] Values(ushort tag)
            {
                if (!tags.TryGetValue(tag, out var t))
                    return Array.Empty<long>();
                var v = new long[t.Count];
                for (int i = 0; i < v.Length; i++)
                    v[i] = t.Type switch
                    {
                        1 or 2 or 7 => bytes[t.ValueOffset + i],
                        3 => reader.U16(t.ValueOffset + 2 * i),
                        4 or 13 => reader.U32(t.ValueOffset + 4 * i),
                        16 => (long)reader.U64(t.ValueOffset + 8 * i),
                        _ => 0,
                    };
                return v;
            }

            int First(ushort tag, int fallback) { var v = Values(tag); return v.Length > 0 ? (int)v[0] : fallback; }

            long FirstLong(ushort tag, long fallback) { var v = Values(tag); return v.Length > 0 ? v[0] : fallback; }

            double? Rational(ushort tag)
            {
                if (!tags.TryGetValue(tag, out var t) || t.Type != 5 || t.Count < 1)
                    return null;
                double num = reader.U32(t.ValueOffset), den = reader.U32(t.ValueOffset + 4);
                return den == 0 || num == 0 ? null : num / den;
            }

            string? Ascii(ushort tag)
            {
                if (!tags.TryGetValue(tag, out var t) || t.Count == 0)
                    return null;
                var s = Encoding.UTF8.GetString(bytes, (int)t.ValueOffset, (int)t.Count);
                return s.TrimEnd('\0');
            }

            var bits = Values(TagBitsPerSample);
            var sampleFormat = Values(TagSampleFormat);
            bool tiled = tags.ContainsKey(TagTileWidth);
            result.Add(new TiffDirectory
            {
                Width = First(TagImageWidth, 0),
                Height = First(TagImageLength, 0),
                BitsPerSample = bits.Length > 0 ? (int)bits[0] : 1,
                SamplesPerPixel = First(TagSamplesPerPixel, 1),
                Compression = First(TagCompression, 1),
                Photometric = First(TagPhotometric, 1),
                SampleFormat = sampleFormat.Length > 0 ? (int)sampleFormat[0] : 1,
                PlanarConfiguration = First(TagPlanarConfiguration, 1),
                Predictor = First(TagPredictor, 1),
                RowsPerStrip = (int)Math.Min(int.MaxValue, FirstLong(TagRowsPerStrip, int.MaxValue)),
                RowsPerStripField = tags.TryGetValue(TagRowsPerStrip, out var rows) && rows.Count == 1 && rows.Type is 3 or 4
                    ? (rows.ValueOffset, rows.Type == 3) : null,
                IsTiled = tiled,
                TileWidth = First(TagTileWidth, 0),
                TileLength = First(TagTileLength, 0),
                StripOffsets = Values(tiled ? TagTileOffsets : TagStripOffsets),
                StripByteCounts = Values(tiled ? TagTileByteCounts : TagStripByteCounts),
                XResolution = Rational(TagXResolution),
                YResolution = Rational(TagYResolution),
                ResolutionUnit = First(TagResolutionUnit, 2),
                ImageDescription = Ascii(TagImageDescription),
                NewSubfileType = First(TagNewSubfileType, 0),
            });
            offset = reader.U32(end);
        }

        if (result.Count == 0)
            throw new MicroscopyImageException(path, "the TIFF file has no image directory.");
        return result;
    }

    private static int TypeSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 1,
    };

    private readonly struct Reader(byte[] bytes, bool little, string path)
    {
        private ReadOnlySpan<byte> At(long offset, int n)
        {
            if (offset < 0 || offset + n > bytes.Length)
                throw new MicroscopyImageException(path, $"truncated: read of {n} bytes at {offset} past the end of the file ({bytes.Length} bytes).");
            return bytes.AsSpan((int)offset, n);
        }

        public int U16(long o) => little ? BinaryPrimitives.ReadUInt16LittleEndian(At(o, 2)) : BinaryPrimitives.ReadUInt16BigEndian(At(o, 2));
        public long U32(long o) => little ? BinaryPrimitives.ReadUInt32LittleEndian(At(o, 4)) : BinaryPrimitives.ReadUInt32BigEndian(At(o, 4));
        public ulong U64(long o) => little ? BinaryPrimitives.ReadUInt64LittleEndian(At(o, 8)) : BinaryPrimitives.ReadUInt64BigEndian(At(o, 8));
    }
}
