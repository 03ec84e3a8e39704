using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// 2D rescaling as skimage.transform.rescale does it (pixel-centre aligned, mirror border, output size rounded half to even):
/// bilinear for images with optional Gaussian anti-aliasing (sigma (1/scale - 1)/2), nearest for label maps.
/// A stop-gap for benchmarks until Imaging's ImageResampler is merged.
/// </summary>
internal static class SimpleResampler
{
    public static (int Height, int Width) ScaledSize(ImageShape shape, double scale)
        => ((int)Math.Round(shape.Height * scale, MidpointRounding.ToEven), (int)Math.Round(shape.Width * scale, MidpointRounding.ToEven));

    public static ImageBuffer<float> Bilinear(ImageBuffer<float> image, double scale, bool antiAlias)
    {
        var (oh, ow) = ScaledSize(image.Shape, scale);
        int h = image.Shape.Height, w = image.Shape.Width;
        var src = image;
        if (antiAlias)
        {
            double sy = Math.Max(0, ((double)h / oh - 1) / 2), sx = Math.Max(0, ((double)w / ow - 1) / 2);
            if (sy > 0 || sx > 0)
                src = GaussianBlur.Apply(image, 0, sy, sx, BoundaryMode.Mirror);
        }

        var result = new float[oh * ow];
        for (int y = 0; y < oh; y++)
        {
            double fy = (y + 0.5) * h / oh - 0.5;
            int y0 = (int)Math.Floor(fy);
            double wy = fy - y0;
            int ya = GaussianBlur.MapIndex(y0, h, BoundaryMode.Mirror), yb = GaussianBlur.MapIndex(y0 + 1, h, BoundaryMode.Mirror);
            for (int x = 0; x < ow; x++)
            {
                double fx = (x + 0.5) * w / ow - 0.5;
                int x0 = (int)Math.Floor(fx);
                double wx = fx - x0;
                int xa = GaussianBlur.MapIndex(x0, w, BoundaryMode.Mirror), xb = GaussianBlur.MapIndex(x0 + 1, w, BoundaryMode.Mirror);
                double top = src.Data[ya * w + xa] * (1 - wx) + src.Data[ya * w + xb] * wx;
                double bottom = src.Data[yb * w + xa] * (1 - wx) + src.Data[yb * w + xb] * wx;
                result[y * ow + x] = (float)(top * (1 - wy) + bottom * wy);
            }
        }

        return new ImageBuffer<float>(result, ImageShape.Of2D(oh, ow));
    }

    public static ImageBuffer<uint> Nearest(ImageBuffer<uint> labels, double scale)
    {
        var (oh, ow) = ScaledSize(labels.Shape, scale);
        int h = labels.Shape.Height, w = labels.Shape.Width;
        var result = new uint[oh * ow];
        for (int y = 0; y < oh; y++)
        {
            int sy = GaussianBlur.MapIndex((int)Math.Floor((y + 0.5) * h / oh - 0.5 + 0.5), h, BoundaryMode.Mirror);
            for (int x = 0; x < ow; x++)
            {
                int sx = GaussianBlur.MapIndex((int)Math.Floor((x + 0.5) * w / ow - 0.5 + 0.5), w, BoundaryMode.Mirror);
                result[y * ow + x] = labels.Data[sy * w + sx];
            }
        }

        return new ImageBuffer<uint>(result, ImageShape.Of2D(oh, ow));
    }
}
