using Microsoft.ML.AdGan.Imaging;

namespace AdGan.Cli.Commands;

/// <summary>Writes generated data through the library's writer: PNG for images, multi-page TIFF for volumes.</summary>
internal static class SynthesisImageFiles
{
    /// <summary>The file name for an image or volume of <paramref name="shape"/>.</summary>
    public static string PathFor(string pathWithoutExtension, ImageShape shape) => pathWithoutExtension + (shape.Is3D ? ".tif" : ".png");

    /// <summary>Writes an 8-bit mask with its values as they are.</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<byte> mask)
    {
        string path = PathFor(pathWithoutExtension, mask.Shape);
        MicroscopyImageWriter.WriteMask(path, mask);
        return path;
    }

    /// <summary>Writes integer intensities held as floats, clamped to the bit depth.</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<float> image, int bits)
    {
        string path = PathFor(pathWithoutExtension, image.Shape);
        MicroscopyImageWriter.Write(path, image, new IntensityScaling(0, bits == 8 ? 255 : 65535, bits));
        return path;
    }

    /// <summary>Writes instance labels (16-bit; TIFF volumes switch to 32-bit above 65,535 labels).</summary>
    public static string Write(string pathWithoutExtension, ImageBuffer<uint> labels)
    {
        string path = PathFor(pathWithoutExtension, labels.Shape);
        MicroscopyImageWriter.WriteLabels(path, labels);
        return path;
    }
}
