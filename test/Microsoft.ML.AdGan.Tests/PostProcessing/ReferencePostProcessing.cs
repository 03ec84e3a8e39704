using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

/// <summary>
/// The post-processing as it was before the speed work (commit 7239fbf), written plainly: one heap entry per flooded
/// pixel, column-by-column distance passes, per-object hole filling with its own buffers. The optimised code must give
/// exactly these results.
/// </summary>
internal static class ReferencePostProcessing
{
    public static uint[] Label(ImageBuffer<float> map, InstanceLabelOptions o)
    {
        var shape = map.Shape;
        var data = map.Data;
        var fg = data.Select(v => v > o.ForegroundThreshold).ToArray();
        var spacing = map.VoxelSize is { IsValid: true } v && (!shape.Is3D || v.Z > 0) ? v : (VoxelSize?)null;
        if (o.Mode == InstanceLabelMode.Semantic)
            return SplitTouching(fg, shape, o.MinMarkerDistance, o.MinObjectSize, o.FillHoles, o.DropBorderObjects, spacing);
        var core = new bool[data.Length];
        for (int i = 0; i < data.Length; i++)
            core[i] = fg[i] && data[i] > o.CoreThreshold;
        uint[] markers = ConnectedComponents.LabelCore(core, shape, null, o.Connectivity, out _).Data;
        if (o.MinCoreSize > 1)
            ObjectFilters.RemoveSmallObjectsInPlace(markers, o.MinCoreSize);
        float[] surface;
        if (o.Growth == InstanceGrowth.CoreDistance)
        {
            double[] sq = SquaredEuclidean(markers.Select(m => m == 0).ToArray(), shape, spacing);
            surface = sq.Select(s => (float)s).ToArray();
        }
        else
        {
            surface = data.Select(d => -d).ToArray();
        }

        return Assemble(surface, markers, fg, shape, o.Connectivity, o.FillHoles, o.MinObjectSize, o.DropBorderObjects);
    }

    public static uint[] SplitTouching(bool[] foreground, ImageShape shape, int markerRadius, double minObjectSize, bool fillHoles, bool dropBorder, VoxelSize? spacing)
    {
        var dist = SquaredEuclidean(foreground, shape, spacing).Select(s => (float)Math.Sqrt(s)).ToArray();
        var components = ConnectedComponents.Label(new ImageBuffer<bool>(foreground, shape), Connectivity.Full);
        var markers = new uint[foreground.Length];
        uint next = 0;
        foreach (int p in PeakDetection.FindPeaks(new ImageBuffer<float>(dist, shape), markerRadius, components, diskFootprint: true, excludeBorder: false))
            markers[p] = ++next;
        return Assemble(dist.Select(d => -d).ToArray(), markers, foreground, shape, Connectivity.Full, fillHoles, minObjectSize, dropBorder, Connectivity.Full);
    }

    public static uint[] Assemble(float[] surface, uint[] markers, bool[] foreground, ImageShape shape, Connectivity connectivity, bool fillHoles, double minSize, bool dropBorder, Connectivity? leftoverConnectivity = null)
    {
        uint[] labels = Flood(surface, markers, foreground, shape, connectivity);
        uint max = labels.Max();
        var left = labels.Select((l, i) => foreground[i] && l == 0).ToArray();
        if (left.Any(b => b))
        {
            var extra = ConnectedComponents.LabelCore(left, shape, null, leftoverConnectivity ?? connectivity, out _).Data;
            for (int i = 0; i < labels.Length; i++)
                if (extra[i] != 0)
                    labels[i] = extra[i] + max;
        }

        if (fillHoles)
            FillPerObject(labels, shape, Connectivity.Face);
        ObjectFilters.RemoveSmallObjectsInPlace(labels, minSize);
        if (dropBorder)
            ObjectFilters.DropBorderObjectsInPlace(labels, shape, includeZ: true);
        ObjectFilters.RelabelSequentialInPlace(labels);
        return labels;
    }

    public static uint[] Flood(float[] surface, uint[] markers, bool[]? mask, ImageShape shape, Connectivity connectivity)
    {
        var nb = Neighborhood.Create(shape, connectivity);
        var output = new uint[surface.Length];
        int w = shape.Width, hw = shape.Height * shape.Width;
        for (int i = 0; i < markers.Length; i++)
            if (markers[i] != 0 && (mask is null || mask[i]))
                output[i] = markers[i];
        var ageToIndex = new List<int>();
        var heap = new Watershed.KeyHeap(1024);
        for (int p = 0; p < markers.Length; p++)
        {
            if (output[p] == 0 || !Enumerable.Range(0, nb.Count).Any(i => Free(p, i)))
                continue;
            heap.Push(Watershed.Key(surface[p], ageToIndex.Count));
            ageToIndex.Add(p);
        }

        while (heap.Count > 0)
        {
            int p = ageToIndex[(int)(uint)heap.Pop()];
            for (int i = 0; i < nb.Count; i++)
            {
                if (!Free(p, i))
                    continue;
                int n = p + nb.Offsets[i];
                output[n] = output[p];
                heap.Push(Watershed.Key(surface[n], ageToIndex.Count));
                ageToIndex.Add(n);
            }
        }

        return output;

        bool Free(int p, int i)
        {
            int z = p / hw, rem = p - z * hw, y = rem / w, x = rem - y * w;
            if (!nb.IsInside(i, z, y, x))
                return false;
            int n = p + nb.Offsets[i];
            return output[n] == 0 && (mask is null || mask[n]);
        }
    }

    public static void FillPerObject(uint[] labels, ImageShape shape, Connectivity backgroundConnectivity)
    {
        var present = labels.Where(l => l != 0).Distinct().Order().ToList();
        foreach (uint label in present)
        {
            int z0 = int.MaxValue, y0 = int.MaxValue, x0 = int.MaxValue, z1 = 0, y1 = 0, x1 = 0;
            for (int z = 0; z < shape.Depth; z++)
                for (int y = 0; y < shape.Height; y++)
                    for (int x = 0; x < shape.Width; x++)
                        if (labels[shape.IndexOf(z, y, x)] == label)
                        {
                            z0 = Math.Min(z0, z); y0 = Math.Min(y0, y); x0 = Math.Min(x0, x);
                            z1 = Math.Max(z1, z + 1); y1 = Math.Max(y1, y + 1); x1 = Math.Max(x1, x + 1);
                        }

            int d = z1 - z0, h = y1 - y0, w = x1 - x0;
            if (d < 3 && shape.Is3D || h < 3 || w < 3)
                continue;
            var localShape = shape.Is3D ? ImageShape.Of3D(d, h, w) : ImageShape.Of2D(h, w);
            var local = new bool[d * h * w];
            int i = 0;
            for (int z = z0; z < z1; z++)
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++, i++)
                        local[i] = labels[shape.IndexOf(z, y, x)] == label;
            var nb = Neighborhood.Create(localShape, backgroundConnectivity);
            var outside = new bool[local.Length];
            var stack = new Stack<int>();
            for (int p = 0; p < local.Length; p++)
            {
                int z = p / (h * w), y = p / w % h, x = p % w;
                bool border = y == 0 || y == h - 1 || x == 0 || x == w - 1 || (shape.Is3D && (z == 0 || z == d - 1));
                if (border && !local[p])
                {
                    outside[p] = true;
                    stack.Push(p);
                }
            }

            while (stack.Count > 0)
            {
                int p = stack.Pop();
                int z = p / (h * w), y = p / w % h, x = p % w;
                for (int k = 0; k < nb.Count; k++)
                {
                    if (!nb.IsInside(k, z, y, x))
                        continue;
                    int n = p + nb.Offsets[k];
                    if (!outside[n] && !local[n])
                    {
                        outside[n] = true;
                        stack.Push(n);
                    }
                }
            }

            i = 0;
            for (int z = z0; z < z1; z++)
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++, i++)
                        if (!local[i] && !outside[i] && labels[shape.IndexOf(z, y, x)] == 0)
                            labels[shape.IndexOf(z, y, x)] = label;
        }
    }

    public static double[] SquaredEuclidean(bool[] mask, ImageShape shape, VoxelSize? spacing)
    {
        double sz = spacing?.Z ?? 1, sy = spacing?.Y ?? 1, sx = spacing?.X ?? 1;
        var f = mask.Select(m => m ? double.PositiveInfinity : 0).ToArray();
        int w = shape.Width, h = shape.Height, d = shape.Depth;
        int maxLen = Math.Max(w, Math.Max(h, d));
        var line = new double[maxLen];
        var outLine = new double[maxLen];
        var v = new int[maxLen];
        var zb = new double[maxLen + 1];
        for (int start = 0; start < f.Length; start += w)
            Pass(start, 1, w, sx);
        for (int z = 0; z < d; z++)
            for (int x = 0; x < w; x++)
                Pass(z * h * w + x, w, h, sy);
        if (d > 1)
            for (int p = 0; p < h * w; p++)
                Pass(p, h * w, d, sz);
        return f;

        void Pass(int start, int stride, int n, double step)
        {
            for (int q = 0, i = start; q < n; q++, i += stride)
                line[q] = f[i];
            DistanceTransform.Transform1D(line, outLine, n, step, v, zb);
            for (int q = 0, i = start; q < n; q++, i += stride)
                f[i] = outLine[q];
        }
    }
}
