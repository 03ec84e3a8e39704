using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Exact Euclidean distance transform (as scipy.ndimage.distance_transform_edt), by the separable lower-envelope
/// algorithm of Felzenszwalb and Huttenlocher (2012), with anisotropic pixel or voxel spacing. Linear in pixels.
/// </summary>
internal static class DistanceTransform
{
    /// <summary>
    /// Distance of every true pixel to the nearest false pixel (0 on false pixels). <paramref name="spacing"/> gives the
    /// physical size of a step along Z, Y, X (null: 1 along every axis). A mask without any false pixel gets +infinity.
    /// </summary>
    public static ImageBuffer<float> Euclidean(ImageBuffer<bool> mask, VoxelSize? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        double[] squared = SquaredEuclidean(mask.Data, mask.Shape, spacing);
        var result = new float[squared.Length];
        for (int i = 0; i < squared.Length; i++)
            result[i] = (float)Math.Sqrt(squared[i]);
        return new ImageBuffer<float>(result, mask.Shape, mask.VoxelSize);
    }

    internal static double[] SquaredEuclidean(bool[] mask, ImageShape shape, VoxelSize? spacing)
    {
        double sz = 1, sy = 1, sx = 1;
        if (spacing is { } s)
        {
            if (!s.IsValid || (shape.Is3D && !(s.Z > 0 && double.IsFinite(s.Z))))
                throw new ArgumentException($"Spacing {s} must be positive and finite along every axis.", nameof(spacing));
            (sz, sy, sx) = (s.Z, s.Y, s.X);
        }

        var f = new double[mask.Length];
        for (int i = 0; i < f.Length; i++)
            f[i] = mask[i] ? double.PositiveInfinity : 0;

        int w = shape.Width, h = shape.Height, d = shape.Depth;
        int maxLen = Math.Max(w, Math.Max(h, d));
        var line = new double[maxLen];
        var outLine = new double[maxLen];
        var v = new int[maxLen];
        var zb = new double[maxLen + 1];
        var block = new double[Block * maxLen];

        // X lines.
        for (int start = 0; start < f.Length; start += w)
        {
            Array.Copy(f, start, line, 0, w);
            Transform1D(line, outLine, w, sx, v, zb);
            Array.Copy(outLine, 0, f, start, w);
        }

        // Y lines, then Z lines, a block of neighbouring lines at a time so that memory is read along rows.
        for (int z = 0; z < d; z++)
            for (int x = 0; x < w; x += Block)
                PassBlock(f, z * h * w + x, Math.Min(Block, w - x), w, h, sy, block, line, outLine, v, zb);
        if (d > 1)
            for (int p = 0; p < h * w; p += Block)
                PassBlock(f, p, Math.Min(Block, h * w - p), h * w, d, sz, block, line, outLine, v, zb);

        return f;
    }

    private const int Block = 16;

    /// <summary>Transforms the <paramref name="count"/> lines starting at start, start + 1, ..., each of n elements <paramref name="stride"/> apart.</summary>
    private static void PassBlock(double[] f, int start, int count, int stride, int n, double step, double[] block, double[] line, double[] outLine, int[] v, double[] zb)
    {
        for (int q = 0, i = start; q < n; q++, i += stride)
            for (int j = 0; j < count; j++)
                block[j * n + q] = f[i + j];
        for (int j = 0; j < count; j++)
        {
            Array.Copy(block, j * n, line, 0, n);
            Transform1D(line, outLine, n, step, v, zb);
            Array.Copy(outLine, 0, block, j * n, n);
        }

        for (int q = 0, i = start; q < n; q++, i += stride)
            for (int j = 0; j < count; j++)
                f[i + j] = block[j * n + q];
    }

    /// <summary>out[q] = min over p of (step (q - p))^2 + f[p]; sites with infinite f are skipped.</summary>
    internal static void Transform1D(double[] f, double[] output, int n, double step, int[] v, double[] zb)
    {
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            double fq = f[q];
            if (double.IsPositiveInfinity(fq))
                continue;
            double xq = q * step;
            if (k < 0)
            {
                k = 0;
                v[0] = q;
                zb[0] = double.NegativeInfinity;
                zb[1] = double.PositiveInfinity;
                continue;
            }

            double sIntersect;
            while (true)
            {
                double xp = v[k] * step;
                sIntersect = ((fq + xq * xq) - (f[v[k]] + xp * xp)) / (2 * (xq - xp));
                if (sIntersect <= zb[k] && k > 0)
                {
                    k--;
                    continue;
                }

                break;
            }

            if (sIntersect <= zb[k])
            {
                // k == 0 and the new parabola hides the first one entirely.
                v[0] = q;
                zb[0] = double.NegativeInfinity;
                zb[1] = double.PositiveInfinity;
                continue;
            }

            k++;
            v[k] = q;
            zb[k] = sIntersect;
            zb[k + 1] = double.PositiveInfinity;
        }

        if (k < 0)
        {
            Array.Fill(output, double.PositiveInfinity, 0, n);
            return;
        }

        int j = 0;
        for (int q = 0; q < n; q++)
        {
            double xq = q * step;
            while (zb[j + 1] < xq)
                j++;
            double dx = xq - v[j] * step;
            output[q] = dx * dx + f[v[j]];
        }
    }
}
