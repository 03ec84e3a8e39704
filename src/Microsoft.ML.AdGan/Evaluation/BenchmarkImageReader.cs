using Microsoft.ML.AdGan.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>Minimal PNG reading for benchmarks (8-bit greyscale images, 16-bit instance masks); to be replaced by Imaging's reader.</summary>
internal static class BenchmarkImageReader
{
    public static ImageBuffer<float> ReadGray(string path)
    {
        using var image = Image.Load<L16>(path);
        var pixels = new L16[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var data = new float[pixels.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = pixels[i].PackedValue;
        return new ImageBuffer<float>(data, ImageShape.Of2D(image.Height, image.Width));
    }

    public static ImageBuffer<uint> ReadLabels(string path)
    {
        using var image = Image.Load<L16>(path);
        var pixels = new L16[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var data = new uint[pixels.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = pixels[i].PackedValue;
        return new ImageBuffer<uint>(data, ImageShape.Of2D(image.Height, image.Width));
    }
}
