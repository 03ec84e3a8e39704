using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Per-label bounding boxes (half-open) and sizes of a label map.</summary>
internal static class BoundingBoxes
{
    internal readonly record struct Box(int Z0, int Y0, int X0, int Z1, int Y1, int X1, long Size);

    /// <summary>Boxes of every nonzero label, in increasing label order.</summary>
    public static SortedDictionary<uint, Box> Compute(uint[] labels, ImageShape shape)
    {
        uint max = ObjectFilters.MaxLabel(labels);
        if (max <= (uint)labels.Length)
            return ComputeDense(labels, shape, max);
        var boxes = new Dictionary<uint, Box>();
        int i = 0;
        for (int z = 0; z < shape.Depth; z++)
        {
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++, i++)
                {
                    uint l = labels[i];
                    if (l == 0)
                        continue;
                    if (boxes.TryGetValue(l, out var b))
                        boxes[l] = new Box(Math.Min(b.Z0, z), Math.Min(b.Y0, y), Math.Min(b.X0, x), Math.Max(b.Z1, z + 1), Math.Max(b.Y1, y + 1), Math.Max(b.X1, x + 1), b.Size + 1);
                    else
                        boxes[l] = new Box(z, y, x, z + 1, y + 1, x + 1, 1);
                }
            }
        }

        return new SortedDictionary<uint, Box>(boxes);
    }

    private static SortedDictionary<uint, Box> ComputeDense(uint[] labels, ImageShape shape, uint max)
    {
        int n = (int)max + 1;
        var z0 = new int[n]; var y0 = new int[n]; var x0 = new int[n];
        var z1 = new int[n]; var y1 = new int[n]; var x1 = new int[n];
        var size = new long[n];
        int i = 0;
        for (int z = 0; z < shape.Depth; z++)
        {
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++, i++)
                {
                    uint l = labels[i];
                    if (l == 0)
                        continue;
                    if (size[l]++ == 0)
                    {
                        z0[l] = z; y0[l] = y; x0[l] = x;
                        z1[l] = z + 1; y1[l] = y + 1; x1[l] = x + 1;
                        continue;
                    }

                    if (y < y0[l]) y0[l] = y;
                    if (x < x0[l]) x0[l] = x;
                    if (z + 1 > z1[l]) z1[l] = z + 1;
                    if (y + 1 > y1[l]) y1[l] = y + 1;
                    if (x + 1 > x1[l]) x1[l] = x + 1;
                }
            }
        }

        var result = new SortedDictionary<uint, Box>();
        for (uint l = 1; l < n; l++)
            if (size[l] > 0)
                result[l] = new Box(z0[l], y0[l], x0[l], z1[l], y1[l], x1[l], size[l]);
        return result;
    }
}
