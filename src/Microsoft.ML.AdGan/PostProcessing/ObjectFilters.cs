using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Operations on whole objects of a label map: size filter, border clearing, sequential relabelling.</summary>
internal static class ObjectFilters
{
    /// <summary>Sets to 0 every object with fewer than <paramref name="minSize"/> pixels or voxels (as skimage remove_small_objects).</summary>
    public static ImageBuffer<uint> RemoveSmallObjects(ImageBuffer<uint> labels, double minSize)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = (uint[])labels.Data.Clone();
        RemoveSmallObjectsInPlace(result, minSize);
        return new ImageBuffer<uint>(result, labels.Shape, labels.VoxelSize);
    }

    /// <summary>Sets to 0 every object that touches the image border (as skimage clear_border); in 3D the Z faces count when <paramref name="includeZ"/>.</summary>
    public static ImageBuffer<uint> DropBorderObjects(ImageBuffer<uint> labels, bool includeZ = true)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = (uint[])labels.Data.Clone();
        DropBorderObjectsInPlace(result, labels.Shape, includeZ);
        return new ImageBuffer<uint>(result, labels.Shape, labels.VoxelSize);
    }

    /// <summary>Renumbers the labels 1..K keeping their order (as skimage relabel_sequential); <paramref name="count"/> receives K.</summary>
    public static ImageBuffer<uint> RelabelSequential(ImageBuffer<uint> labels, out int count)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = (uint[])labels.Data.Clone();
        count = RelabelSequentialInPlace(result);
        return new ImageBuffer<uint>(result, labels.Shape, labels.VoxelSize);
    }

    internal static void RemoveSmallObjectsInPlace(uint[] labels, double minSize)
    {
        if (minSize <= 1)
            return;
        uint max = MaxLabel(labels);
        if (max <= (uint)labels.Length)
        {
            var counts = new long[max + 1];
            foreach (uint l in labels)
                counts[l]++;
            for (int i = 0; i < labels.Length; i++)
                if (labels[i] != 0 && counts[labels[i]] < minSize)
                    labels[i] = 0;
            return;
        }

        var sizes = new Dictionary<uint, long>();
        foreach (uint l in labels)
            if (l != 0)
                sizes[l] = sizes.GetValueOrDefault(l) + 1;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] != 0 && sizes[labels[i]] < minSize)
                labels[i] = 0;
    }

    internal static void DropBorderObjectsInPlace(uint[] labels, ImageShape shape, bool includeZ)
    {
        var border = new HashSet<uint>();
        int i = 0;
        for (int z = 0; z < shape.Depth; z++)
        {
            bool zFace = shape.Is3D && includeZ && (z == 0 || z == shape.Depth - 1);
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++, i++)
                {
                    if (labels[i] != 0 && (zFace || y == 0 || x == 0 || y == shape.Height - 1 || x == shape.Width - 1))
                        border.Add(labels[i]);
                }
            }
        }

        if (border.Count == 0)
            return;
        for (int p = 0; p < labels.Length; p++)
            if (labels[p] != 0 && border.Contains(labels[p]))
                labels[p] = 0;
    }

    internal static int RelabelSequentialInPlace(uint[] labels)
    {
        uint max = MaxLabel(labels);
        if (max <= (uint)labels.Length)
        {
            var table = new uint[max + 1];
            foreach (uint l in labels)
                table[l] = 1;
            table[0] = 0;
            uint n = 0;
            for (uint l = 1; l <= max; l++)
                if (table[l] != 0)
                    table[l] = ++n;
            for (int i = 0; i < labels.Length; i++)
                labels[i] = table[labels[i]];
            return (int)n;
        }

        var present = new SortedSet<uint>();
        foreach (uint l in labels)
            if (l != 0)
                present.Add(l);
        var map = new Dictionary<uint, uint>(present.Count);
        uint next = 0;
        foreach (uint l in present)
            map[l] = ++next;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] != 0)
                labels[i] = map[labels[i]];
        return present.Count;
    }

    internal static uint MaxLabel(uint[] labels)
    {
        uint max = 0;
        foreach (uint l in labels)
            if (l > max)
                max = l;
        return max;
    }
}
