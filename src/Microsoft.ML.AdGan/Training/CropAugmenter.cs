using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Draws a randomly rotated, flipped crop from an image or volume in one resampling pass: every output pixel is
/// mapped back through the rotation about the crop centre and read bilinearly with reflected borders.
/// </summary>
internal static class CropAugmenter
{
    /// <summary>
    /// Writes a crop of (<paramref name="cropDepth"/>, <paramref name="cropSize"/>, <paramref name="cropSize"/>) from
    /// <paramref name="image"/> into <paramref name="destination"/> at <paramref name="offset"/>.
    /// </summary>
    public static void Crop(ImageBuffer<float> image, int cropDepth, int cropSize, AugmentationOptions options, Random random, float[] destination, int offset)
    {
        var s = image.Shape;
        int d = s.Is3D ? cropDepth : 1;
        double angle = (random.NextDouble() * 2 - 1) * options.MaxRotationDegrees * Math.PI / 180;
        bool flipX = options.Flips && random.NextDouble() < 0.5;
        bool flipY = options.Flips && random.NextDouble() < 0.5;
        // Integer crop origin, uniform over positions that keep the unrotated crop inside the image when possible,
        // so that without rotation the crop is an exact window (no interpolation blur).
        int z0 = random.Next(Math.Max(0, s.Depth - d) + 1);
        double cy = random.Next(Math.Max(0, s.Height - cropSize) + 1) + cropSize / 2.0;
        double cx = random.Next(Math.Max(0, s.Width - cropSize) + 1) + cropSize / 2.0;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        int plane = s.Height * s.Width;
        for (int z = 0; z < d; z++)
        {
            int sz = Reflect(z0 + z, s.Depth);
            for (int y = 0; y < cropSize; y++)
            {
                double dy = (flipY ? cropSize - 1 - y : y) + 0.5 - cropSize / 2.0;
                for (int x = 0; x < cropSize; x++)
                {
                    double dx = (flipX ? cropSize - 1 - x : x) + 0.5 - cropSize / 2.0;
                    double sy = cy + cos * dy - sin * dx - 0.5;
                    double sx = cx + sin * dy + cos * dx - 0.5;
                    destination[offset + (z * cropSize + y) * cropSize + x] = Bilinear(image.Data, sz * plane, s.Height, s.Width, sy, sx);
                }
            }
        }
    }

    private static float Bilinear(float[] data, int planeStart, int height, int width, double y, double x)
    {
        int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
        double fy = y - y0, fx = x - x0;
        int ya = Reflect(y0, height), yb = Reflect(y0 + 1, height);
        int xa = Reflect(x0, width), xb = Reflect(x0 + 1, width);
        double top = data[planeStart + ya * width + xa] * (1 - fx) + data[planeStart + ya * width + xb] * fx;
        double bottom = data[planeStart + yb * width + xa] * (1 - fx) + data[planeStart + yb * width + xb] * fx;
        return (float)(top * (1 - fy) + bottom * fy);
    }

    /// <summary>Reflects an index into [0, length) without repeating the edge sample (numpy 'reflect').</summary>
    internal static int Reflect(int i, int length)
    {
        if (length == 1)
            return 0;
        int period = 2 * (length - 1);
        i %= period;
        if (i < 0)
            i += period;
        return i < length ? i : period - i;
    }
}
