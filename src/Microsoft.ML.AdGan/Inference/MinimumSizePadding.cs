using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Brings an image below a network's minimum side up to it by reflecting it at its end along each short axis (mirrored
/// again as often as needed; a 1-pixel axis repeats its pixel), and crops results back. Axes already long enough are left
/// alone, so an image of at least the minimum size passes through unchanged.
/// </summary>
internal static class MinimumSizePadding
{
    /// <summary>True when an axis of <paramref name="shape"/> (Z only for volumes) is shorter than <paramref name="minimumSide"/>.</summary>
    public static bool IsNeeded(ImageShape shape, int minimumSide)
        => shape.Height < minimumSide || shape.Width < minimumSide || (shape.Is3D && shape.Depth < minimumSide);

    /// <summary><paramref name="image"/> reflected at its end to at least <paramref name="minimumSide"/> along every axis.</summary>
    public static ImageBuffer<float> Pad(ImageBuffer<float> image, int minimumSide)
    {
        var shape = image.Shape;
        int d = shape.Is3D ? Math.Max(shape.Depth, minimumSide) : 1, h = Math.Max(shape.Height, minimumSide), w = Math.Max(shape.Width, minimumSide);
        var padded = shape.Is3D ? ImageShape.Of3D(d, h, w) : ImageShape.Of2D(h, w);
        var result = new float[padded.Length];
        for (int z = 0; z < d; z++)
        {
            int sz = Reflect(z, shape.Depth);
            for (int y = 0; y < h; y++)
            {
                int sy = Reflect(y, shape.Height), row = (sz * shape.Height + sy) * shape.Width, dst = (z * h + y) * w;
                for (int x = 0; x < w; x++)
                    result[dst + x] = image.Data[row + Reflect(x, shape.Width)];
            }
        }
        return new ImageBuffer<float>(result, padded, image.VoxelSize);
    }

    /// <summary>The part of <paramref name="padded"/> that covers an image of <paramref name="shape"/> (its start).</summary>
    public static ImageBuffer<float> Crop(ImageBuffer<float> padded, ImageShape shape)
    {
        var result = new float[shape.Length];
        for (int z = 0; z < shape.Depth; z++)
        for (int y = 0; y < shape.Height; y++)
            Array.Copy(padded.Data, (z * padded.Shape.Height + y) * padded.Shape.Width, result, (z * shape.Height + y) * shape.Width, shape.Width);
        return new ImageBuffer<float>(result, shape, padded.VoxelSize);
    }

    /// <summary>Index <paramref name="i"/> of an axis of <paramref name="length"/> mirrored about its ends (edge pixels not repeated).</summary>
    private static int Reflect(int i, int length)
    {
        if (length == 1)
            return 0;
        int period = 2 * (length - 1);
        int k = i % period;
        return k < length ? k : period - k;
    }
}
