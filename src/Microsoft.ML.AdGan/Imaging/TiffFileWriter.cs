using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Writes single-channel classic TIFF files (little-endian, one strip per page, uncompressed or Deflate), one page per Z slice,
/// with an ImageJ description (unit=micron, spacing, slices) so Fiji and this library see the calibration and the volume.
/// </summary>
internal static class TiffFileWriter
{
    /// <summary>
    /// Writes the pages; <paramref name="page"/> gives the little-endian sample bytes of slice z. <paramref name="description"/>,
    /// when given, replaces the ImageJ description (an OME-XML header, say); it must be ASCII.
    /// </summary>
    public static void Write(Stream stream, ImageShape shape, int bitsPerSample, int sampleFormat, Func<int, byte[]> page,
        VoxelSize? voxelSize, bool deflate, string? extraDescription = null, string? description = null)
    {
        var pages = new List<(long Offset, long Count)>(shape.Depth);
        using var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        w.Write((byte)'I'); w.Write((byte)'I'); w.Write((ushort)42); w.Write(0u);
        for (int z = 0; z < shape.Depth; z++)
        {
            var bytes = page(z);
            if (deflate)
            {
                using var ms = new MemoryStream();
                using (var zs = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
                    zs.Write(bytes);
                bytes = ms.ToArray();
            }

            Align(w);
            pages.Add((stream.Position, bytes.Length));
            w.Write(bytes);
        }

        description ??= ImageJDescription(shape, voxelSize) + extraDescription;
        var descBytes = Encoding.ASCII.GetBytes(description + "\0");
        long nextPointer = 4;
        for (int z = 0; z < shape.Depth; z++)
        {
            Align(w);
            long ifd = stream.Position;
            CheckOffset(ifd);
            stream.Position = nextPointer;
            w.Write((uint)ifd);
            stream.Position = ifd;

            var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value, byte[]? Extra)>
            {
                (TiffDirectory.TagNewSubfileType, 4, 1, 0, null),
                (TiffDirectory.TagImageWidth, 4, 1, (uint)shape.Width, null),
                (TiffDirectory.TagImageLength, 4, 1, (uint)shape.Height, null),
                (TiffDirectory.TagBitsPerSample, 3, 1, (uint)bitsPerSample, null),
                (TiffDirectory.TagCompression, 3, 1, deflate ? 8u : 1u, null),
                (TiffDirectory.TagPhotometric, 3, 1, 1, null),
            };
            if (z == 0)
                entries.Add((TiffDirectory.TagImageDescription, 2, (uint)descBytes.Length, 0, descBytes));
            entries.Add((TiffDirectory.TagStripOffsets, 4, 1, (uint)pages[z].Offset, null));
            entries.Add((TiffDirectory.TagSamplesPerPixel, 3, 1, 1, null));
            entries.Add((TiffDirectory.TagRowsPerStrip, 4, 1, (uint)shape.Height, null));
            entries.Add((TiffDirectory.TagStripByteCounts, 4, 1, (uint)pages[z].Count, null));
            if (voxelSize is { IsValid: true } v)
            {
                entries.Add((TiffDirectory.TagXResolution, 5, 1, 0, Rational(v.X)));
                entries.Add((TiffDirectory.TagYResolution, 5, 1, 0, Rational(v.Y)));
                entries.Add((TiffDirectory.TagResolutionUnit, 3, 1, 1, null));
            }

            entries.Add((TiffDirectory.TagSampleFormat, 3, 1, (uint)sampleFormat, null));

            long extraAt = ifd + 2 + 12L * entries.Count + 4;
            w.Write((ushort)entries.Count);
            var extras = new List<byte[]>();
            foreach (var e in entries)
            {
                w.Write(e.Tag); w.Write(e.Type); w.Write(e.Count);
                if (e.Extra is null)
                {
                    if (e.Type == 3)
                    {
                        w.Write((ushort)e.Value);
                        w.Write((ushort)0);
                    }
                    else
                    {
                        w.Write(e.Value);
                    }
                }
                else
                {
                    CheckOffset(extraAt);
                    w.Write((uint)extraAt);
                    extras.Add(e.Extra);
                    extraAt += e.Extra.Length + (e.Extra.Length & 1);
                }
            }

            nextPointer = stream.Position;
            w.Write(0u);
            foreach (var extra in extras)
            {
                w.Write(extra);
                if ((extra.Length & 1) == 1)
                    w.Write((byte)0);
            }
        }

        w.Flush();
    }

    /// <summary>ImageJ's header: page count, and the calibration in micrometres when known.</summary>
    private static string ImageJDescription(ImageShape shape, VoxelSize? size)
    {
        var sb = new StringBuilder("ImageJ=1.11a\n");
        if (shape.Depth > 1)
            sb.Append("images=").Append(shape.Depth).Append('\n').Append("slices=").Append(shape.Depth).Append('\n');
        if (size is { IsValid: true } v)
        {
            sb.Append("unit=micron\n");
            if (shape.Depth > 1 && v.Z > 0 && double.IsFinite(v.Z))
                sb.Append("spacing=").Append(v.Z.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        if (shape.Depth > 1)
            sb.Append("loop=false\n");
        return sb.ToString();
    }

    /// <summary>Pixels per micrometre as a TIFF rational, exact for sizes with up to six decimals.</summary>
    private static byte[] Rational(double micrometres)
    {
        uint num = 1_000_000, den;
        double scaled = micrometres * 1e6;
        if (scaled < uint.MaxValue)
        {
            den = (uint)Math.Max(1, Math.Round(scaled));
        }
        else
        {
            num = 1;
            den = (uint)Math.Min(uint.MaxValue, Math.Round(micrometres));
        }

        var b = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(b, num);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), den);
        return b;
    }

    private static void Align(BinaryWriter w)
    {
        if ((w.BaseStream.Position & 1) == 1)
            w.Write((byte)0);
    }

    private static void CheckOffset(long offset)
    {
        if (offset > uint.MaxValue)
            throw new IOException("The TIFF file would exceed 4 GB; BigTIFF is not supported.");
    }
}
