using Microsoft.ML.AdGan.Imaging;

namespace AdGan.Service;

/// <summary>One segmented object: its label, its area (pixels or voxels) and its centroid in pixel coordinates.</summary>
/// <param name="Label">The object's label in the label map (1..Count).</param>
/// <param name="Area">Number of pixels (voxels for volumes) with this label.</param>
/// <param name="X">Centroid column.</param>
/// <param name="Y">Centroid row.</param>
/// <param name="Z">Centroid slice of a volume; null for 2D images.</param>
public sealed record ObjectSummary(uint Label, long Area, double X, double Y, double? Z);

/// <summary>The JSON answer of POST /segment: the image size, the object count and one entry per object.</summary>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
/// <param name="Depth">Slices of a volume; 1 for 2D images.</param>
/// <param name="Count">Number of objects.</param>
/// <param name="Objects">The objects in label order.</param>
public sealed record LabelSummary(int Width, int Height, int Depth, int Count, IReadOnlyList<ObjectSummary> Objects)
{
    /// <summary>Summarises a label map (0 = background; labels need not be consecutive, absent ones are skipped).</summary>
    public static LabelSummary Of(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var shape = labels.Shape;
        uint max = 0;
        foreach (uint v in labels.Data)
            max = Math.Max(max, v);
        var area = new long[max + 1];
        var sum = new double[max + 1, 3];
        int h = shape.Height, w = shape.Width;
        for (int i = 0; i < labels.Data.Length; i++)
        {
            uint v = labels.Data[i];
            if (v == 0)
                continue;
            area[v]++;
            sum[v, 0] += i % w;
            sum[v, 1] += i / w % h;
            sum[v, 2] += i / (w * h);
        }

        var objects = new List<ObjectSummary>();
        for (uint k = 1; k <= max; k++)
        {
            if (area[k] == 0)
                continue;
            double n = area[k];
            objects.Add(new ObjectSummary(k, area[k], sum[k, 0] / n, sum[k, 1] / n, shape.Is3D ? sum[k, 2] / n : null));
        }

        return new LabelSummary(w, h, shape.Is3D ? shape.Depth : 1, objects.Count, objects);
    }
}
