namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>Exact squared Euclidean distance transform (Felzenszwalb and Huttenlocher), 1 to 3 dimensions.</summary>
internal static class DistanceTransform
{
    private const double Infinity = 1e20;

    /// <summary>
    /// For every element of a (depth, height, width) grid, the squared distance from its centre to the centre of the
    /// nearest element where <paramref name="inside"/> is false (as scipy's distance_transform_edt); 0 outside.
    /// </summary>
    public static double[] SquaredToOutside(bool[] inside, int depth, int height, int width)
    {
        var d = new double[inside.Length];
        for (int i = 0; i < d.Length; i++)
            d[i] = inside[i] ? Infinity : 0;
        int longest = Math.Max(depth, Math.Max(height, width));
        var f = new double[longest];
        var result = new double[longest];
        var v = new int[longest];
        var zBreak = new double[longest + 1];

        // Along X.
        for (int z = 0; z < depth; z++)
        {
            for (int y = 0; y < height; y++)
            {
                int start = (z * height + y) * width;
                Pass(d, start, 1, width, f, result, v, zBreak);
            }
        }

        if (height > 1)
        {
            for (int z = 0; z < depth; z++)
            {
                for (int x = 0; x < width; x++)
                    Pass(d, z * height * width + x, width, height, f, result, v, zBreak);
            }
        }

        if (depth > 1)
        {
            int plane = height * width;
            for (int i = 0; i < plane; i++)
                Pass(d, i, plane, depth, f, result, v, zBreak);
        }

        return d;
    }

    private static void Pass(double[] d, int start, int stride, int n, double[] f, double[] result, int[] v, double[] zBreak)
    {
        bool any = false;
        for (int i = 0; i < n; i++)
            any |= (f[i] = d[start + i * stride]) != 0;
        if (!any)
            return;
        int k = 0;
        v[0] = 0;
        zBreak[0] = double.NegativeInfinity;
        zBreak[1] = double.PositiveInfinity;
        for (int q = 1; q < n; q++)
        {
            double s;
            while (true)
            {
                int p = v[k];
                s = ((f[q] + (double)q * q) - (f[p] + (double)p * p)) / (2.0 * (q - p));
                if (s <= zBreak[k] && k > 0)
                {
                    k--;
                    continue;
                }

                break;
            }

            if (s <= zBreak[k])
            {
                // k == 0 and the new parabola dominates everywhere.
                v[0] = q;
                zBreak[0] = double.NegativeInfinity;
                zBreak[1] = double.PositiveInfinity;
                continue;
            }

            k++;
            v[k] = q;
            zBreak[k] = s;
            zBreak[k + 1] = double.PositiveInfinity;
        }

        k = 0;
        for (int q = 0; q < n; q++)
        {
            while (zBreak[k + 1] < q)
                k++;
            double diff = q - v[k];
            result[q] = diff * diff + f[v[k]];
        }

        for (int i = 0; i < n; i++)
            d[start + i * stride] = result[i];
    }
}
