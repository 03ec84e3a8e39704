using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>Rasterisation of ellipses row by row within their bounding boxes, overlap tests and mask coding.</summary>
internal static class EllipseRaster
{
    /// <summary>The clipped bounding box (inclusive) of an ellipse in a shape; false when it misses the shape.</summary>
    public static bool Box(SyntheticEllipse e, ImageShape shape, out int z0, out int z1, out int y0, out int y1)
    {
        z0 = e.Is3D ? Math.Max(0, (int)Math.Floor(e.CenterZ - e.ExtentZ)) : 0;
        z1 = e.Is3D ? Math.Min(shape.Depth - 1, (int)Math.Ceiling(e.CenterZ + e.ExtentZ)) : 0;
        y0 = Math.Max(0, (int)Math.Floor(e.CenterY - e.ExtentY));
        y1 = Math.Min(shape.Height - 1, (int)Math.Ceiling(e.CenterY + e.ExtentY));
        return z0 <= z1 && y0 <= y1;
    }

    /// <summary>True when a pixel of the ellipse inside the shape already carries a non-zero label.</summary>
    public static bool Overlaps(SyntheticEllipse e, ImageBuffer<uint> labels)
    {
        var shape = labels.Shape;
        if (!Box(e, shape, out int z0, out int z1, out int y0, out int y1))
            return false;
        var data = labels.Data;
        for (int z = z0; z <= z1; z++)
        {
            for (int y = y0; y <= y1; y++)
            {
                if (!e.RowSpan(z, y, out int x0, out int x1))
                    continue;
                x0 = Math.Max(x0, 0);
                x1 = Math.Min(x1, shape.Width - 1);
                if (x0 > x1)
                    continue;
                int row = shape.IndexOf(z, y, 0);
                if (data.AsSpan(row + x0, x1 - x0 + 1).IndexOfAnyExcept(0u) >= 0)
                    return true;
            }
        }

        return false;
    }

    /// <summary>Writes <paramref name="value"/> into every pixel of the ellipse inside the shape; returns how many.</summary>
    public static int Paint<T>(SyntheticEllipse e, ImageBuffer<T> target, T value)
        where T : unmanaged
    {
        var shape = target.Shape;
        if (!Box(e, shape, out int z0, out int z1, out int y0, out int y1))
            return 0;
        int count = 0;
        for (int z = z0; z <= z1; z++)
        {
            for (int y = y0; y <= y1; y++)
            {
                if (!e.RowSpan(z, y, out int x0, out int x1))
                    continue;
                x0 = Math.Max(x0, 0);
                x1 = Math.Min(x1, shape.Width - 1);
                if (x0 > x1)
                    continue;
                target.Data.AsSpan(shape.IndexOf(z, y, x0), x1 - x0 + 1).Fill(value);
                count += x1 - x0 + 1;
            }
        }

        return count;
    }

    /// <summary>Semantic coding: 255 where a label is set, else 0.</summary>
    public static ImageBuffer<byte> Semantic(ImageBuffer<uint> labels)
    {
        var mask = new ImageBuffer<byte>(labels.Shape, labels.VoxelSize);
        var src = labels.Data;
        var dst = mask.Data;
        for (int i = 0; i < src.Length; i++)
            dst[i] = src[i] != 0 ? (byte)255 : (byte)0;
        return mask;
    }

    /// <summary>3-level coding: per ellipse, ring 127 where the normalised distance to its edge is below 0.5, core 255.</summary>
    public static ImageBuffer<byte> ThreeLevel(IReadOnlyList<SyntheticEllipse> ellipses, ImageShape shape)
    {
        var mask = new ImageBuffer<byte>(shape);
        // normalised distance < 0.5  <=>  squared < 0.25 max squared.
        VisitInside(ellipses, shape, (index, squared, maxSquared) => mask.Data[index] = squared < 0.25 * maxSquared ? (byte)127 : (byte)255);
        return mask;
    }

    /// <summary>
    /// Per ellipse, the Euclidean distance of each of its pixels to the nearest pixel outside the whole (unclipped) ellipse,
    /// divided by its maximum over the ellipse: in (0, 1] inside, 0 outside (the quantity <see cref="ThreeLevel"/> thresholds at 0.5).
    /// </summary>
    public static ImageBuffer<float> NormalizedDistance(IReadOnlyList<SyntheticEllipse> ellipses, ImageShape shape)
    {
        var map = new ImageBuffer<float>(shape);
        VisitInside(ellipses, shape, (index, squared, maxSquared) => map.Data[index] = (float)Math.Sqrt(squared / maxSquared));
        return map;
    }

    /// <summary>Calls <paramref name="visit"/>(flat index, squared distance to the outside, its maximum) for every pixel inside the shape of every ellipse.</summary>
    private static void VisitInside(IReadOnlyList<SyntheticEllipse> ellipses, ImageShape shape, Action<int, double, double> visit)
    {
        foreach (var e in ellipses)
        {
            // Whole ellipse, unclipped, with one pixel of margin so that the box has outside pixels on every side.
            int bz0 = e.Is3D ? (int)Math.Floor(e.CenterZ - e.ExtentZ) - 1 : 0;
            int bz1 = e.Is3D ? (int)Math.Ceiling(e.CenterZ + e.ExtentZ) + 1 : 0;
            int by0 = (int)Math.Floor(e.CenterY - e.ExtentY) - 1;
            int by1 = (int)Math.Ceiling(e.CenterY + e.ExtentY) + 1;
            int bx0 = (int)Math.Floor(e.CenterX - e.ExtentX) - 1;
            int bx1 = (int)Math.Ceiling(e.CenterX + e.ExtentX) + 1;
            int d = bz1 - bz0 + 1, h = by1 - by0 + 1, w = bx1 - bx0 + 1;
            var inside = new bool[d * h * w];
            for (int z = bz0; z <= bz1; z++)
            {
                for (int y = by0; y <= by1; y++)
                {
                    if (!e.RowSpan(z, y, out int x0, out int x1))
                        continue;
                    x0 = Math.Max(x0, bx0);
                    x1 = Math.Min(x1, bx1);
                    int row = ((z - bz0) * h + (y - by0)) * w - bx0;
                    inside.AsSpan(row + x0, x1 - x0 + 1).Fill(true);
                }
            }

            var squared = DistanceTransform.SquaredEuclidean(inside, new ImageShape(d, h, w, e.Is3D ? 3 : 2), null);
            double max = 0;
            for (int i = 0; i < squared.Length; i++)
                max = Math.Max(max, squared[i]);

            int cz0 = Math.Max(bz0, 0), cz1 = Math.Min(bz1, shape.Depth - 1);
            int cy0 = Math.Max(by0, 0), cy1 = Math.Min(by1, shape.Height - 1);
            int cx0 = Math.Max(bx0, 0), cx1 = Math.Min(bx1, shape.Width - 1);
            for (int z = cz0; z <= cz1; z++)
            {
                for (int y = cy0; y <= cy1; y++)
                {
                    int src = ((z - bz0) * h + (y - by0)) * w - bx0;
                    int dst = shape.IndexOf(z, y, 0);
                    for (int x = cx0; x <= cx1; x++)
                    {
                        double s = squared[src + x];
                        if (s > 0)
                            visit(dst + x, s, max);
                    }
                }
            }
        }
    }
}
