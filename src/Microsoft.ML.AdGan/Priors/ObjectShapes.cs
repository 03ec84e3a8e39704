using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>Measures every object of a 2D instance label map by its second moments (see <see cref="ObjectShape"/>).</summary>
internal static class ObjectShapes
{
    /// <summary>The shapes of the non-zero labels of a 2D label map, in increasing label order.</summary>
    public static IReadOnlyList<ObjectShape> Measure(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var shape = labels.Shape;
        if (shape.Is3D)
            throw new ArgumentException($"Object shapes are measured on 2D label maps; got a {shape} volume.", nameof(labels));
        var data = labels.Data;
        uint max = 0;
        foreach (uint v in data)
        {
            if (v > max)
                max = v;
        }

        if (max == 0)
            return Array.Empty<ObjectShape>();
        if (max > 64L * 1024 * 1024)
            throw new ArgumentException($"Label {max} is too large to measure; relabel the map sequentially first.", nameof(labels));
        int n = (int)max + 1;
        var count = new long[n];
        var sy = new double[n];
        var sx = new double[n];
        var border = new bool[n];
        int h = shape.Height, w = shape.Width;
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            bool edgeRow = y == 0 || y == h - 1;
            for (int x = 0; x < w; x++)
            {
                uint l = data[row + x];
                if (l == 0)
                    continue;
                count[l]++;
                sy[l] += y;
                sx[l] += x;
                if (edgeRow || x == 0 || x == w - 1)
                    border[l] = true;
            }
        }

        // Second moments about the centroid (a second pass keeps them exact for symmetric objects, as regionprops does).
        var meanY = new double[n];
        var meanX = new double[n];
        for (int l = 1; l < n; l++)
        {
            if (count[l] > 0)
            {
                meanY[l] = sy[l] / count[l];
                meanX[l] = sx[l] / count[l];
            }
        }

        var syy = new double[n];
        var sxx = new double[n];
        var sxy = new double[n];
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                uint l = data[row + x];
                if (l == 0)
                    continue;
                double dy = y - meanY[l], dx = x - meanX[l];
                syy[l] += dy * dy;
                sxx[l] += dx * dx;
                sxy[l] += dx * dy;
            }
        }

        var result = new List<ObjectShape>();
        for (int l = 1; l < n; l++)
        {
            long c = count[l];
            if (c == 0)
                continue;
            double my = meanY[l], mx = meanX[l];
            double cyy = syy[l] / c, cxx = sxx[l] / c, cxy = sxy[l] / c;
            double mean = (cyy + cxx) / 2;
            double root = Math.Sqrt(((cyy - cxx) / 2) * ((cyy - cxx) / 2) + cxy * cxy);
            double major = 2 * Math.Sqrt(mean + root);
            double minor = 2 * Math.Sqrt(Math.Max(0, mean - root));
            result.Add(new ObjectShape((uint)l, (int)c, my, mx, major, minor, border[l]));
        }

        return result;
    }
}
