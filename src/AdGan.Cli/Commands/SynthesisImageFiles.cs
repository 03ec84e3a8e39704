using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace AdGan.Cli.Commands;

/// <summary>
/// Minimal writers for the synthesis verbs: 2D as 8-bit (L8) or 16-bit (L16) PNG through ImageSharp, 3D as an
/// uncompressed multi-page baseline TIFF (one page per Z slice). To be replaced by the Imaging writer once merged.
/// </summary>
internal static class SynthesisImageFiles
{
    /// <summary>Writes a 2D image as PNG or a volume as multi-page TIFF; <paramref name="bits"/> is 8 or 16. Returns the path written.</summary>
    public static string Write(string pathWithoutExtension, ImageShape shape, Func<int, ushort> value, int bits)
    {
        if (shape.Is3D)
        {
            string tiff = pathWithoutExtension + ".tif";
            WriteTiff(tiff, shape, value, bits);
            return tiff;
        }

        string png = pathWithoutExtension + ".png";
        if (bits == 8)
        {
            using var image = new Image<L8>(shape.Width, shape.Height);
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++)
                    image[x, y] = new L8((byte)value(y * shape.Width + x));
            image.SaveAsPng(png);
        }
        else
        {
            using var image = new Image<L16>(shape.Width, shape.Height);
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++)
                    image[x, y] = new L16(value(y * shape.Width + x));
            image.SaveAsPng(png);
        }

        return png;
    }

    /// <summary>Writes an 8-bit mask.</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<byte> mask)
        => Write(pathWithoutExtension, mask.Shape, i => mask.Data[i], 8);

    /// <summary>Writes integer intensities held as floats, clamped to the bit depth.</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<float> image, int bits)
    {
        float max = bits == 8 ? 255 : 65535;
        return Write(pathWithoutExtension, image.Shape, i => (ushort)Math.Clamp(MathF.Round(image.Data[i]), 0, max), bits);
    }

    /// <summary>Writes instance labels as 16-bit; more than 65,535 labels is an error.</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<uint> labels)
    {
        uint max = labels.Data.Length == 0 ? 0 : labels.Data.Max();
        if (max > ushort.MaxValue)
            throw new ArgumentException($"Label {max} does not fit a 16-bit file.", nameof(labels));
        return Write(pathWithoutExtension, labels.Shape, i => (ushort)labels.Data[i], 16);
    }

    private static void WriteTiff(string path, ImageShape shape, Func<int, ushort> value, int bits)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)'I');
        writer.Write((byte)'I');
        writer.Write((ushort)42);
        long nextPointer = stream.Position;
        writer.Write(0u);
        int plane = shape.Height * shape.Width;
        int bytesPerSample = bits / 8;
        for (int z = 0; z < shape.Depth; z++)
        {
            uint dataOffset = (uint)stream.Position;
            for (int i = 0; i < plane; i++)
            {
                ushort v = value(z * plane + i);
                if (bits == 8)
                    writer.Write((byte)v);
                else
                    writer.Write(v);
            }

            if ((stream.Position & 1) != 0)
                writer.Write((byte)0);
            uint ifd = (uint)stream.Position;
            stream.Position = nextPointer;
            writer.Write(ifd);
            stream.Position = ifd;
            var tags = new (ushort Tag, ushort Type, uint Value)[]
            {
                (256, 4, (uint)shape.Width),
                (257, 4, (uint)shape.Height),
                (258, 3, (uint)bits),
                (259, 3, 1),
                (262, 3, 1),
                (273, 4, dataOffset),
                (277, 3, 1),
                (278, 4, (uint)shape.Height),
                (279, 4, (uint)(plane * bytesPerSample)),
                (284, 3, 1),
            };
            writer.Write((ushort)tags.Length);
            foreach (var (tag, type, v) in tags)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write(1u);
                if (type == 3)
                {
                    writer.Write((ushort)v);
                    writer.Write((ushort)0);
                }
                else
                {
                    writer.Write(v);
                }
            }

            nextPointer = stream.Position;
            writer.Write(0u);
        }
    }
}
