using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>The mirror images test-time augmentation averages over: every combination of flips along the spatial axes.</summary>
internal static class FlipAugmentation
{
    /// <summary>The flips of a shape: (flip Z, flip Y, flip X) for all 4 combinations of Y and X in 2D, all 8 in 3D; the first is none.</summary>
    public static IReadOnlyList<(bool Z, bool Y, bool X)> Flips(ImageShape shape)
    {
        var list = new List<(bool, bool, bool)>();
        foreach (bool z in shape.Is3D ? new[] { false, true } : new[] { false })
        foreach (bool y in new[] { false, true })
        foreach (bool x in new[] { false, true })
            list.Add((z, y, x));
        return list;
    }

    /// <summary>The image mirrored along the chosen axes (its own inverse).</summary>
    public static ImageBuffer<float> Apply(ImageBuffer<float> image, (bool Z, bool Y, bool X) flip)
    {
        if (flip == default)
            return image;
        int d = image.Shape.Depth, h = image.Shape.Height, w = image.Shape.Width;
        var source = image.Data;
        var result = new float[source.Length];
        for (int z = 0; z < d; z++)
        for (int y = 0; y < h; y++)
        {
            int sz = flip.Z ? d - 1 - z : z, sy = flip.Y ? h - 1 - y : y;
            int src = (sz * h + sy) * w, dst = (z * h + y) * w;
            if (flip.X)
            {
                for (int x = 0; x < w; x++)
                    result[dst + x] = source[src + w - 1 - x];
            }
            else
            {
                Array.Copy(source, src, result, dst, w);
            }
        }
        return new ImageBuffer<float>(result, image.Shape, image.VoxelSize);
    }
}
