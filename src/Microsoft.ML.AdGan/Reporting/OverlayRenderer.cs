using Microsoft.ML.AdGan.Imaging;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>One label map drawn as coloured contours over an image.</summary>
/// <param name="Labels">Instance labels (0 = background) of the image's size.</param>
/// <param name="Color">Contour colour; must not be grey.</param>
internal sealed record OverlayLayer(ImageBuffer<uint> Labels, PlotColor Color);

/// <summary>
/// Draws contours of label maps in colour over the greyscale image, pixel for pixel (no resampling): a pixel is a
/// contour pixel when its label is not 0 and one of its 4 neighbours has another label. Volumes show their middle slice.
/// </summary>
internal static class OverlayRenderer
{
    /// <summary>Low and high percentiles of the automatic grey range. Default 0.5 and 99.5.</summary>
    public static (double Low, double High) DefaultPercentiles => (0.5, 99.5);

    /// <summary>PNG of <paramref name="image"/> in grey with the contours of each layer (later layers on top).</summary>
    public static byte[] RenderPng(ImageBuffer<float> image, IEnumerable<OverlayLayer> layers, (float Low, float High)? greyRange = null)
    {
        using var bitmap = Render(image, layers, greyRange);
        return Drawing.EncodePng(bitmap);
    }

    /// <summary>Writes the overlay PNG to <paramref name="path"/> (its folder is created).</summary>
    public static void Save(string path, ImageBuffer<float> image, IEnumerable<OverlayLayer> layers, (float Low, float High)? greyRange = null) =>
        Drawing.WriteFile(path, RenderPng(image, layers, greyRange));

    /// <summary>8-bit grey levels of a 2D image (middle slice of a volume), mapped linearly from the range (percentiles when null).</summary>
    public static byte[] Greyscale(ImageBuffer<float> image, (float Low, float High)? range = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = MiddleSlice(image);
        var (low, high) = range ?? PercentileRange(plane.Data, DefaultPercentiles.Low, DefaultPercentiles.High);
        float span = high > low ? high - low : 1f;
        var grey = new byte[plane.Data.Length];
        for (int i = 0; i < grey.Length; i++)
        {
            float v = (plane.Data[i] - low) / span;
            grey[i] = (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
        }
        return grey;
    }

    /// <summary>Contour pixels of a 2D label map (middle slice of a volume): labelled pixels with a 4-neighbour of another label.</summary>
    public static bool[] Contours(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var plane = MiddleSlice(labels);
        int h = plane.Shape.Height, w = plane.Shape.Width;
        var d = plane.Data;
        var contour = new bool[d.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                uint v = d[i];
                if (v == 0)
                    continue;
                contour[i] = (x > 0 && d[i - 1] != v) || (x < w - 1 && d[i + 1] != v)
                    || (y > 0 && d[i - w] != v) || (y < h - 1 && d[i + w] != v);
            }
        }
        return contour;
    }

    internal static SKBitmap Render(ImageBuffer<float> image, IEnumerable<OverlayLayer> layers, (float Low, float High)? greyRange)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(layers);
        var grey = Greyscale(image, greyRange);
        int h = image.Shape.Height, w = image.Shape.Width;
        var rgba = new byte[grey.Length * 4];
        for (int i = 0; i < grey.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
            rgba[4 * i + 3] = 255;
        }
        foreach (var layer in layers)
        {
            if (layer.Labels.Shape.Height != h || layer.Labels.Shape.Width != w || layer.Labels.Shape.Depth != image.Shape.Depth)
                throw new ArgumentException($"A label map of shape {layer.Labels.Shape} cannot be drawn over an image of shape {image.Shape}.", nameof(layers));
            if (layer.Color.IsGrey)
                throw new ArgumentException($"Contour colour {layer.Color} is grey and would not show over a greyscale image.", nameof(layers));
            var contour = Contours(layer.Labels);
            for (int i = 0; i < contour.Length; i++)
            {
                if (!contour[i])
                    continue;
                rgba[4 * i] = layer.Color.R;
                rgba[4 * i + 1] = layer.Color.G;
                rgba[4 * i + 2] = layer.Color.B;
            }
        }
        return FromRgba(rgba, w, h);
    }

    internal static SKBitmap FromRgba(byte[] rgba, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    internal static ImageBuffer<T> MiddleSlice<T>(ImageBuffer<T> image) where T : unmanaged
    {
        if (!image.Shape.Is3D)
            return image;
        int plane = image.Shape.Height * image.Shape.Width;
        var data = new T[plane];
        Array.Copy(image.Data, (long)(image.Shape.Depth / 2) * plane, data, 0, plane);
        return new ImageBuffer<T>(data, ImageShape.Of2D(image.Shape.Height, image.Shape.Width));
    }

    internal static (float Low, float High) PercentileRange(float[] values, double lowPercent, double highPercent)
    {
        if (values.Length == 0)
            return (0, 1);
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        float At(double p) => sorted[(int)Math.Clamp(Math.Round(p / 100.0 * (sorted.Length - 1)), 0, sorted.Length - 1)];
        float low = At(lowPercent), high = At(highPercent);
        return high > low ? (low, high) : (sorted[0], sorted[^1] > sorted[0] ? sorted[^1] : sorted[0] + 1);
    }
}
