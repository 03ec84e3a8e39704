using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Writes a label map as an OME-TIFF (.ome.tif): one uncompressed page per slice, 16-bit unsigned (32-bit above 65,535),
/// with an OME-XML header (dimension order XYZCT, one channel) that carries the physical pixel size in micrometres (and the
/// slice spacing of a volume) when it is known. Fiji (Bio-Formats), QuPath, napari and tifffile read the size from it.
/// </summary>
public static class OmeTiffLabelWriter
{
    private static readonly XNamespace Ome = "http://www.openmicroscopy.org/Schemas/OME/2016-06";

    /// <summary>Writes <paramref name="labels"/> to <paramref name="path"/>; <paramref name="voxelSize"/> (default: the map's own) is recorded when valid.</summary>
    public static void Write(string path, ImageBuffer<uint> labels, VoxelSize? voxelSize = null, string? imageName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(labels);
        var size = voxelSize ?? labels.VoxelSize;
        uint max = 0;
        foreach (uint v in labels.Data)
            max = Math.Max(max, v);
        int bits = max <= ushort.MaxValue ? 16 : 32;
        string xml = OmeXml(labels.Shape, bits, size, imageName ?? Path.GetFileName(path));
        int page = labels.Shape.Height * labels.Shape.Width, bytesPerSample = bits / 8;
        MicroscopyImageWriter.WriteAtomically(path, s => TiffFileWriter.Write(s, labels.Shape, bits, 1, z =>
        {
            var b = new byte[page * bytesPerSample];
            for (int i = 0; i < page; i++)
            {
                uint v = labels.Data[z * page + i];
                if (bits == 16)
                    BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), (ushort)v);
                else
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4 * i), v);
            }

            return b;
        }, size, deflate: false, description: xml));
    }

    /// <summary>The OME-XML header (ASCII: other characters as numeric references).</summary>
    internal static string OmeXml(ImageShape shape, int bits, VoxelSize? size, string imageName)
    {
        var pixels = new XElement(Ome + "Pixels",
            new XAttribute("ID", "Pixels:0"),
            new XAttribute("DimensionOrder", "XYZCT"),
            new XAttribute("Type", bits == 16 ? "uint16" : "uint32"),
            new XAttribute("SignificantBits", bits),
            new XAttribute("BigEndian", "false"),
            new XAttribute("Interleaved", "false"),
            new XAttribute("SizeX", shape.Width),
            new XAttribute("SizeY", shape.Height),
            new XAttribute("SizeZ", shape.Depth),
            new XAttribute("SizeC", 1),
            new XAttribute("SizeT", 1));
        if (size is { IsValid: true } v)
        {
            pixels.Add(new XAttribute("PhysicalSizeX", Number(v.X)), new XAttribute("PhysicalSizeXUnit", "µm"),
                new XAttribute("PhysicalSizeY", Number(v.Y)), new XAttribute("PhysicalSizeYUnit", "µm"));
            if (shape.Is3D && v.Z > 0 && double.IsFinite(v.Z))
                pixels.Add(new XAttribute("PhysicalSizeZ", Number(v.Z)), new XAttribute("PhysicalSizeZUnit", "µm"));
        }

        pixels.Add(new XElement(Ome + "Channel", new XAttribute("ID", "Channel:0:0"), new XAttribute("Name", "labels"), new XAttribute("SamplesPerPixel", 1)));
        pixels.Add(new XElement(Ome + "TiffData", new XAttribute("IFD", 0), new XAttribute("PlaneCount", shape.Depth)));
        var root = new XElement(Ome + "OME",
            new XAttribute("Creator", "Microsoft.ML.AdGan"),
            new XElement(Ome + "Image", new XAttribute("ID", "Image:0"), new XAttribute("Name", imageName), pixels));
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting);
        var ascii = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
                ascii.Append((char)rune.Value);
            else
                ascii.Append("&#").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
        }

        return ascii.ToString();
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
