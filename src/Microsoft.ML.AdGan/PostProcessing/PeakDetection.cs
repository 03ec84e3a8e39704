using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Local maxima with a minimum distance (as skimage.feature.peak_local_max): a peak equals the maximum of its footprint
/// (a disk or square of radius <c>footprintRadius</c>, by default <c>minDistance</c>), exceeds the threshold, and no higher
/// accepted peak lies closer than <c>minDistance</c> (Chebyshev distance; greedy from the highest, ties in raster order).
/// </summary>
internal static class PeakDetection
{
    /// <summary>
    /// Flat indices of the peaks, highest first within each label. With <paramref name="labels"/>, peaks are searched per
    /// object, only its own pixels are compared, and spacing is enforced per object. <paramref name="excludeBorder"/>
    /// drops peaks closer than <paramref name="minDistance"/> to the image border (skimage's default).
    /// <paramref name="threshold"/> null means the image minimum (peaks must be strictly above it). <paramref name="footprintRadius"/>
    /// sets the neighbourhood a peak must dominate apart from the spacing (skimage's footprint; null: <paramref name="minDistance"/>).
    /// </summary>
    public static IReadOnlyList<int> FindPeaks(ImageBuffer<float> image, int minDistance, ImageBuffer<uint>? labels = null, bool diskFootprint = true, bool excludeBorder = true, float? threshold = null, int? footprintRadius = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (minDistance < 1)
            throw new ArgumentOutOfRangeException(nameof(minDistance), minDistance, "The minimum peak distance must be at least 1.");
        if (footprintRadius < 1)
            throw new ArgumentOutOfRangeException(nameof(footprintRadius), footprintRadius, "The footprint radius must be at least 1.");
        if (labels is not null && labels.Shape != image.Shape)
            throw new ArgumentException($"Labels {labels.Shape} and image {image.Shape} differ in size.", nameof(labels));
        var shape = image.Shape;
        float[] data = image.Data;
        float thr = threshold ?? data.Min();
        var footprint = Footprint(shape, footprintRadius ?? minDistance, diskFootprint);
        int border = excludeBorder ? minDistance : 0;

        uint[] lab = labels?.Data ?? BuildSingleLabel(shape);
        var result = new List<int>();
        var boxes = BoundingBoxes.Compute(ExcludeBorder(lab, shape, border), shape);
        foreach (var (label, box) in boxes)
        {
            // skimage compares within the object's box when labelled, within the whole image otherwise.
            var cmp = labels is null ? new BoundingBoxes.Box(0, 0, 0, shape.Depth, shape.Height, shape.Width, 0) : box;
            var candidates = new List<int>();
            bool allPeaks = true;
            for (int z = box.Z0; z < box.Z1; z++)
            {
                for (int y = box.Y0; y < box.Y1; y++)
                {
                    for (int x = box.X0; x < box.X1; x++)
                    {
                        int p = shape.IndexOf(z, y, x);
                        if (lab[p] != label)
                            continue;
                        float v = data[p];
                        bool isMax = true;
                        foreach (var (fz, fy, fx) in footprint)
                        {
                            int nz = z + fz, ny = y + fy, nx = x + fx;
                            if (nz < cmp.Z0 || nz >= cmp.Z1 || ny < cmp.Y0 || ny >= cmp.Y1 || nx < cmp.X0 || nx >= cmp.X1)
                                continue;
                            int n = shape.IndexOf(nz, ny, nx);
                            if (lab[n] == label && data[n] > v)
                            {
                                isMax = false;
                                break;
                            }
                        }

                        if (!isMax)
                        {
                            allPeaks = false;
                            continue;
                        }

                        if (v > thr)
                            candidates.Add(p);
                    }
                }
            }

            if (allPeaks)
                continue; // a flat object has no peak (as skimage)
            result.AddRange(minDistance > 1 ? EnsureSpacing(candidates, data, shape, minDistance) : candidates.OrderByDescending(p => data[p]));
        }

        return result;
    }

    /// <summary>Greedy: keep a candidate when no kept one is closer than <paramref name="spacing"/> (Chebyshev).</summary>
    private static List<int> EnsureSpacing(List<int> candidates, float[] data, ImageShape shape, int spacing)
    {
        var order = candidates.OrderByDescending(p => data[p]).ToList(); // stable: raster order among equal values
        var kept = new List<int>();
        var grid = new Dictionary<(int, int, int), List<(int Z, int Y, int X)>>();
        int hw = shape.Height * shape.Width;
        foreach (int p in order)
        {
            int z = p / hw, rem = p - z * hw, y = rem / shape.Width, x = rem - y * shape.Width;
            int cz = z / spacing, cy = y / spacing, cx = x / spacing;
            bool tooClose = false;
            for (int a = cz - 1; a <= cz + 1 && !tooClose; a++)
                for (int b = cy - 1; b <= cy + 1 && !tooClose; b++)
                    for (int c = cx - 1; c <= cx + 1 && !tooClose; c++)
                        if (grid.TryGetValue((a, b, c), out var cell))
                            foreach (var q in cell)
                                if (Math.Max(Math.Abs(q.Z - z), Math.Max(Math.Abs(q.Y - y), Math.Abs(q.X - x))) < spacing)
                                {
                                    tooClose = true;
                                    break;
                                }

            if (tooClose)
                continue;
            kept.Add(p);
            if (!grid.TryGetValue((cz, cy, cx), out var list))
                grid[(cz, cy, cx)] = list = new List<(int, int, int)>();
            list.Add((z, y, x));
        }

        return kept;
    }

    private static List<(int Z, int Y, int X)> Footprint(ImageShape shape, int radius, bool disk)
    {
        var list = new List<(int, int, int)>();
        int zr = shape.Is3D ? radius : 0;
        for (int z = -zr; z <= zr; z++)
            for (int y = -radius; y <= radius; y++)
                for (int x = -radius; x <= radius; x++)
                    if ((z | y | x) != 0 && (!disk || z * z + y * y + x * x <= radius * radius))
                        list.Add((z, y, x));
        return list;
    }

    private static uint[] BuildSingleLabel(ImageShape shape)
    {
        var lab = new uint[shape.Length];
        Array.Fill(lab, 1u);
        return lab;
    }

    private static uint[] ExcludeBorder(uint[] labels, ImageShape shape, int border)
    {
        if (border <= 0)
            return labels;
        var result = (uint[])labels.Clone();
        int i = 0;
        for (int z = 0; z < shape.Depth; z++)
        {
            bool zEdge = shape.Is3D && (z < border || z >= shape.Depth - border);
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++, i++)
                    if (zEdge || y < border || y >= shape.Height - border || x < border || x >= shape.Width - border)
                        result[i] = 0;
        }

        return result;
    }
}
