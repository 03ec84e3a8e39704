using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Connected-component labelling in 2D and 3D (as scipy.ndimage.label): two raster passes with union-find,
/// labels numbered 1..K in raster order of each component's first pixel. Linear in the number of pixels.
/// </summary>
internal static class ConnectedComponents
{
    /// <summary>Labels the true pixels of a mask; <paramref name="count"/> receives the number of components.</summary>
    public static ImageBuffer<uint> Label(ImageBuffer<bool> mask, Connectivity connectivity, out int count)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return LabelCore(mask.Data, mask.Shape, mask.VoxelSize, connectivity, out count);
    }

    /// <summary>Labels the true pixels of a mask (default: 8-connected in 2D, 26 in 3D).</summary>
    public static ImageBuffer<uint> Label(ImageBuffer<bool> mask, Connectivity connectivity = Connectivity.Full)
        => Label(mask, connectivity, out _);

    /// <summary>
    /// Relabels a label map so that every connected region of one nonzero value gets its own label
    /// (an object cut in two pieces becomes two objects); labels 1..K in raster order.
    /// </summary>
    public static ImageBuffer<uint> SplitDisconnected(ImageBuffer<uint> labels, Connectivity connectivity, out int count)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return LabelCore(labels.Data, labels.Shape, labels.VoxelSize, connectivity, out count);
    }

    internal static ImageBuffer<uint> LabelCore<T>(T[] keys, ImageShape shape, VoxelSize? voxelSize, Connectivity connectivity, out int count)
        where T : unmanaged, IEquatable<T>
    {
        var nb = Neighborhood.CreateBackward(shape, connectivity);
        var output = new uint[keys.Length];
        var parent = new List<uint> { 0 };
        int[] offsets = nb.Offsets;
        int w = shape.Width, h = shape.Height, d = shape.Depth;
        int index = 0;
        for (int z = 0; z < d; z++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++, index++)
                {
                    T key = keys[index];
                    if (key.Equals(default))
                        continue;
                    bool interior = nb.IsInterior(z, y, x);
                    uint best = 0;
                    for (int i = 0; i < offsets.Length; i++)
                    {
                        if (!interior && !nb.IsInside(i, z, y, x))
                            continue;
                        int n = index + offsets[i];
                        if (!keys[n].Equals(key))
                            continue;
                        uint l = output[n];
                        if (best == 0)
                            best = Find(parent, l);
                        else
                            best = Union(parent, best, l);
                    }

                    if (best == 0)
                    {
                        best = (uint)parent.Count;
                        parent.Add(best);
                    }

                    output[index] = best;
                }
            }
        }

        // Resolve to roots and number the components in raster order of their first pixel.
        var final = new uint[parent.Count];
        uint next = 0;
        for (int p = 0; p < output.Length; p++)
        {
            uint l = output[p];
            if (l == 0)
                continue;
            uint root = Find(parent, l);
            if (final[root] == 0)
                final[root] = ++next;
            output[p] = final[root];
        }

        count = (int)next;
        return new ImageBuffer<uint>(output, shape, voxelSize);
    }

    private static uint Find(List<uint> parent, uint l)
    {
        while (parent[(int)l] != l)
        {
            uint grand = parent[(int)parent[(int)l]];
            parent[(int)l] = grand;
            l = grand;
        }

        return l;
    }

    private static uint Union(List<uint> parent, uint a, uint b)
    {
        uint ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb)
            return ra;
        if (ra < rb)
        {
            parent[(int)rb] = ra;
            return ra;
        }

        parent[(int)ra] = rb;
        return rb;
    }
}
