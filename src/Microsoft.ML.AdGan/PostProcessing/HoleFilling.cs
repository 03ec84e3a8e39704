using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Hole filling (as scipy.ndimage.binary_fill_holes): background not reachable from the image border becomes foreground.</summary>
internal static class HoleFilling
{
    /// <summary>Fills the holes of a mask; the background is followed through face neighbours (4 in 2D, 6 in 3D) as scipy does.</summary>
    public static ImageBuffer<bool> Fill(ImageBuffer<bool> mask, Connectivity backgroundConnectivity = Connectivity.Face)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var shape = mask.Shape;
        var outside = FloodFromBorder(shape, backgroundConnectivity, p => !mask.Data[p]);
        var result = new bool[mask.Data.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = mask.Data[i] || !outside[i];
        return new ImageBuffer<bool>(result, shape, mask.VoxelSize);
    }

    /// <summary>
    /// Fills the holes of every object of a label map separately: background pixels enclosed by one object join it.
    /// Pixels of other objects are never overwritten.
    /// </summary>
    public static ImageBuffer<uint> FillPerObject(ImageBuffer<uint> labels, Connectivity backgroundConnectivity = Connectivity.Face)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = (uint[])labels.Data.Clone();
        FillPerObjectInPlace(result, labels.Shape, backgroundConnectivity);
        return new ImageBuffer<uint>(result, labels.Shape, labels.VoxelSize);
    }

    internal static void FillPerObjectInPlace(uint[] labels, ImageShape shape, Connectivity backgroundConnectivity)
    {
        var boxes = BoundingBoxes.Compute(labels, shape);
        foreach (var (label, box) in boxes)
        {
            int d = box.Z1 - box.Z0, h = box.Y1 - box.Y0, w = box.X1 - box.X0;
            if (d < 3 && shape.Is3D || h < 3 || w < 3)
                continue; // no room for a hole
            var local = new bool[d * h * w];
            var localShape = shape.Is3D ? ImageShape.Of3D(d, h, w) : ImageShape.Of2D(h, w);
            int i = 0;
            for (int z = box.Z0; z < box.Z1; z++)
                for (int y = box.Y0; y < box.Y1; y++)
                    for (int x = box.X0; x < box.X1; x++, i++)
                        local[i] = labels[shape.IndexOf(z, y, x)] == label;
            var outside = FloodFromBorder(localShape, backgroundConnectivity, p => !local[p]);
            i = 0;
            for (int z = box.Z0; z < box.Z1; z++)
            {
                for (int y = box.Y0; y < box.Y1; y++)
                {
                    for (int x = box.X0; x < box.X1; x++, i++)
                    {
                        if (local[i] || outside[i])
                            continue;
                        int g = shape.IndexOf(z, y, x);
                        if (labels[g] == 0)
                            labels[g] = label;
                    }
                }
            }
        }
    }

    /// <summary>Marks the pixels of a box reachable from its border through pixels where <paramref name="passable"/> holds.</summary>
    private static bool[] FloodFromBorder(ImageShape shape, Connectivity connectivity, Func<int, bool> passable)
    {
        var nb = Neighborhood.Create(shape, connectivity);
        var reached = new bool[shape.Length];
        var stack = new Stack<int>();
        for (int z = 0; z < shape.Depth; z++)
        {
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++)
                {
                    bool border = y == 0 || y == shape.Height - 1 || x == 0 || x == shape.Width - 1
                        || (shape.Is3D && (z == 0 || z == shape.Depth - 1));
                    if (!border)
                        continue;
                    int p = shape.IndexOf(z, y, x);
                    if (!reached[p] && passable(p))
                    {
                        reached[p] = true;
                        stack.Push(p);
                    }
                }
            }
        }

        int hw = shape.Height * shape.Width;
        while (stack.Count > 0)
        {
            int p = stack.Pop();
            int z = p / hw, rem = p - z * hw, y = rem / shape.Width, x = rem - y * shape.Width;
            for (int i = 0; i < nb.Count; i++)
            {
                if (!nb.IsInside(i, z, y, x))
                    continue;
                int n = p + nb.Offsets[i];
                if (!reached[n] && passable(n))
                {
                    reached[n] = true;
                    stack.Push(n);
                }
            }
        }

        return reached;
    }
}
