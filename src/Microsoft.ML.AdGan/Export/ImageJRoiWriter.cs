using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Writes outlines as an ImageJ/Fiji ROI set: a .zip of .roi files in ImageJ's binary ROI format (big-endian, version 228),
/// one per nucleus and slice, which the ROI Manager opens. A one-ring outline is a traced polygon ROI with its vertices on
/// pixel corners; an outline with holes, several parts or corner-only links is a composite (shape) ROI whose rings fill by
/// the even-odd rule; so is an outline reaching beyond pixel 32,767, which a polygon ROI cannot hold. Filling either in
/// ImageJ gives back exactly the label's pixels. ROIs of a volume carry their slice (1-based) as position.
/// </summary>
public static class ImageJRoiWriter
{
    private const short Version = 228;
    private const byte TypeRectangle = 1, TypeTraced = 8;
    private const int HeaderSize = 64, Header2Size = 64;
    private const int MaxCoordinate = short.MaxValue;

    /// <summary>Writes the ROI set to <paramref name="path"/> (a .zip); <paramref name="isVolume"/> gives each ROI its slice as position.</summary>
    public static void Write(string path, IReadOnlyList<NucleusOutline> outlines, bool isVolume)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MicroscopyImageWriter.WriteAtomically(path, s => Write(s, outlines, isVolume));
    }

    /// <summary>Writes the ROI set as a zip archive to a stream.</summary>
    public static void Write(Stream stream, IReadOnlyList<NucleusOutline> outlines, bool isVolume)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(outlines);
        uint maxLabel = outlines.Count == 0 ? 0 : outlines.Max(o => o.Label);
        int maxZ = outlines.Count == 0 ? 0 : outlines.Max(o => o.Z) + 1;
        int labelDigits = Math.Max(4, maxLabel.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        int sliceDigits = Math.Max(3, maxZ.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var outline in outlines)
        {
            string name = RoiName(outline, isVolume, labelDigits, sliceDigits);
            var entry = zip.CreateEntry(name + ".roi", CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); // same bytes for the same labels
            using var s = entry.Open();
            s.Write(Encode(outline, name, isVolume ? outline.Z + 1 : 0));
        }
    }

    /// <summary>The ROI's name: the label, and for a volume the 1-based slice ("0007" or "0007-z012").</summary>
    public static string RoiName(NucleusOutline outline, bool isVolume, int labelDigits = 4, int sliceDigits = 3)
    {
        ArgumentNullException.ThrowIfNull(outline);
        string label = outline.Label.ToString("D" + labelDigits, System.Globalization.CultureInfo.InvariantCulture);
        return isVolume ? label + "-z" + (outline.Z + 1).ToString("D" + sliceDigits, System.Globalization.CultureInfo.InvariantCulture) : label;
    }

    /// <summary>One .roi file: the 64-byte header, the coordinates, header 2 and the name.</summary>
    internal static byte[] Encode(NucleusOutline outline, string name, int position)
    {
        var rings = outline.Rings.ToList();
        if (rings.Count == 0)
            throw new ArgumentException($"Label {outline.Label} (slice {outline.Z}) has no outline.", nameof(outline));
        int left = rings.Min(r => r.X.Min()), top = rings.Min(r => r.Y.Min());
        int right = rings.Max(r => r.X.Max()), bottom = rings.Max(r => r.Y.Max());
        // A polygon ROI stores corners as 16-bit offsets; a composite ROI stores floats, so it also carries outlines beyond
        // those limits (its 16-bit header bounds are then clamped: ImageJ takes a composite's bounds from its path).
        bool composite = !outline.IsSimplePolygon || right > MaxCoordinate || bottom > MaxCoordinate || rings[0].Count > ushort.MaxValue;
        var ring = rings[0];
        int coordinateBytes = composite ? 4 * ShapeArrayLength(rings) : 4 * ring.Count;
        int header2At = HeaderSize + coordinateBytes;
        int nameAt = header2At + Header2Size;
        var b = new byte[nameAt + 2 * name.Length];
        Encoding.ASCII.GetBytes("Iout").CopyTo(b, 0);
        BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(4), Version);
        b[6] = composite ? TypeRectangle : TypeTraced;
        BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(8), Clamp(top));
        BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(10), Clamp(left));
        BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(12), Clamp(bottom));
        BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(14), Clamp(right));
        if (composite)
        {
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(36), ShapeArrayLength(rings));
            WriteShapeArray(b.AsSpan(HeaderSize), rings);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(16), (ushort)ring.Count);
            for (int i = 0; i < ring.Count; i++)
            {
                BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(HeaderSize + 2 * i), (short)(ring.X[i] - left));
                BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(HeaderSize + 2 * (ring.Count + i)), (short)(ring.Y[i] - top));
            }
        }

        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(56), position);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(60), header2At);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(header2At + 16), nameAt);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(header2At + 20), name.Length);
        for (int i = 0; i < name.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(nameAt + 2 * i), name[i]);
        return b;
    }

    private static short Clamp(int v) => (short)Math.Min(v, MaxCoordinate);

    /// <summary>Floats in the path array: per ring a move-to, a line-to per further vertex (3 floats each) and a close (1).</summary>
    private static int ShapeArrayLength(List<OutlineRing> rings) => rings.Sum(r => 3 * r.Count + 1);

    /// <summary>
    /// The path segments of a shape ROI in absolute pixel coordinates (java.awt.geom.PathIterator codes: 0 move-to, 1 line-to,
    /// 4 close). Holes run opposite to exteriors, so the fill is the same under the even-odd and the non-zero winding rule.
    /// </summary>
    private static void WriteShapeArray(Span<byte> target, List<OutlineRing> rings)
    {
        int at = 0;
        foreach (var ring in rings)
        {
            for (int i = 0; i < ring.Count; i++)
            {
                BinaryPrimitives.WriteSingleBigEndian(target.Slice(at), i == 0 ? 0 : 1);
                BinaryPrimitives.WriteSingleBigEndian(target.Slice(at + 4), ring.X[i]);
                BinaryPrimitives.WriteSingleBigEndian(target.Slice(at + 8), ring.Y[i]);
                at += 12;
            }

            BinaryPrimitives.WriteSingleBigEndian(target.Slice(at), 4);
            at += 4;
        }
    }
}
