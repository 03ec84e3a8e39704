using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Reporting;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Tools.Reporting;

/// <summary>Contours of every nucleus in a colour of its own over the greyscale image (volumes: the middle slice).</summary>
internal static class NucleusOverlay
{
    /// <summary>The overlay at the image's size, contours <paramref name="radius"/> pixels thicker on each side (0: one pixel wide).</summary>
    public static SKBitmap Render(ImageBuffer<float> image, ImageBuffer<uint> labels, int radius = 0) => Render(Layers.Of(image, labels), radius);

    /// <summary>The same from layers computed once for several renderings.</summary>
    public static SKBitmap Render(Layers layers, int radius)
    {
        var (grey, contour, plane, h, w) = layers;
        var rgba = new byte[grey.Length * 4];
        for (int i = 0; i < grey.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
            rgba[4 * i + 3] = 255;
        }

        for (int i = 0; i < contour.Length; i++)
        {
            if (!contour[i])
                continue;
            var c = ColorOf(plane[i]);
            int y0 = i / w, x0 = i % w;
            for (int y = Math.Max(0, y0 - radius); y <= Math.Min(h - 1, y0 + radius); y++)
            {
                for (int x = Math.Max(0, x0 - radius); x <= Math.Min(w - 1, x0 + radius); x++)
                {
                    int j = y * w + x;
                    rgba[4 * j] = c.R;
                    rgba[4 * j + 1] = c.G;
                    rgba[4 * j + 2] = c.B;
                }
            }
        }

        return OverlayRenderer.FromRgba(rgba, w, h);
    }

    /// <summary>What an overlay is drawn from: 8-bit grey levels, contour pixels and labels of the shown plane.</summary>
    internal sealed record Layers(byte[] Grey, bool[] Contour, uint[] Plane, int Height, int Width)
    {
        public static Layers Of(ImageBuffer<float> image, ImageBuffer<uint> labels)
        {
            if (labels.Shape != image.Shape)
                throw new ArgumentException($"A label map of shape {labels.Shape} cannot be drawn over an image of shape {image.Shape}.", nameof(labels));
            return new Layers(OverlayRenderer.Greyscale(image), OverlayRenderer.Contours(labels), OverlayRenderer.MiddleSlice(labels).Data, image.Shape.Height, image.Shape.Width);
        }
    }

    /// <summary>A saturated colour per label, neighbouring labels far apart in hue (golden-ratio steps).</summary>
    public static PlotColor ColorOf(uint label)
    {
        double hue = (label * 0.6180339887498949) % 1.0 * 6;
        int sector = (int)hue;
        double f = hue - sector;
        byte v = 255, p = 40, q = (byte)(255 - 215 * f), t = (byte)(40 + 215 * f);
        return sector switch
        {
            0 => new PlotColor(v, t, p),
            1 => new PlotColor(q, v, p),
            2 => new PlotColor(p, v, t),
            3 => new PlotColor(p, q, v),
            4 => new PlotColor(t, p, v),
            _ => new PlotColor(v, p, q),
        };
    }
}
