using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Foreground with a threshold per object, so that a few very bright nuclei cannot decide what is foreground for the dim
/// ones: each object's threshold lies halfway between the median of its inside and the median of its own ring of
/// background (the pixels just outside it that are nearer to it than to any other object), and every pixel takes the
/// threshold of its nearest object.
/// </summary>
internal static class LocalThreshold
{
    private const int MinPixels = 5;

    /// <summary>Band (pixels) between an object's inside and its ring when the objects come from the image itself.</summary>
    private const double SeedBand = 2;

    /// <summary>
    /// The baseline's per-object foreground of a blurred image: objects from <see cref="Thresholds.LogOtsu"/> (which keeps the
    /// dim nuclei), then each object's own threshold (see <see cref="Foreground(uint[], ImageBuffer{float}, float[], float[], double, float)"/>).
    /// </summary>
    public static bool[] Foreground(ImageBuffer<float> blurred)
    {
        var shape = blurred.Shape;
        float seedThreshold = Thresholds.LogOtsu(blurred.Data);
        var seed = new bool[blurred.Data.Length];
        var outside = new bool[seed.Length];
        for (int i = 0; i < seed.Length; i++)
        {
            seed[i] = blurred.Data[i] > seedThreshold;
            outside[i] = !seed[i];
        }

        var objects = ConnectedComponents.Label(new ImageBuffer<bool>(seed, shape), Connectivity.Full).Data;
        var depthInside = DistanceTransform.Euclidean(new ImageBuffer<bool>(seed, shape)).Data;
        var distanceOutside = DistanceTransform.Euclidean(new ImageBuffer<bool>(outside, shape)).Data;
        return Foreground(objects, blurred, depthInside, distanceOutside, SeedBand, seedThreshold);
    }

    /// <summary>
    /// The foreground of <paramref name="blurred"/> with a threshold per object of <paramref name="objects"/> (0: none): halfway
    /// between the median over the object's pixels deeper than <paramref name="band"/> (all of them when it is thin) and the
    /// median over its ring, the pixels outside every object at a distance in (band, band + max(2 band, 2)] that are nearest
    /// to it. Objects without a usable ring, and an image without objects, take <paramref name="fallback"/>.
    /// </summary>
    public static bool[] Foreground(uint[] objects, ImageBuffer<float> blurred, float[] depthInside, float[] distanceOutside, double band, float fallback)
    {
        var shape = blurred.Shape;
        int n = objects.Length;
        var value = blurred.Data;
        var fg = new bool[n];
        uint count = 0;
        var unlabelled = new bool[n];
        var everywhere = new bool[n];
        for (int i = 0; i < n; i++)
        {
            count = Math.Max(count, objects[i]);
            unlabelled[i] = objects[i] == 0;
            everywhere[i] = true;
        }

        if (count == 0)
        {
            for (int i = 0; i < n; i++)
                fg[i] = value[i] > fallback;
            return fg;
        }

        double[] squared = DistanceTransform.SquaredEuclidean(unlabelled, shape, null);
        var surface = new float[n];
        for (int i = 0; i < n; i++)
            surface[i] = (float)squared[i];
        uint[] nearest = Watershed.FloodCore(surface, objects, everywhere, shape, Connectivity.Full);

        double ring = Math.Max(2 * band, 2);
        var deep = new List<float>?[count + 1];
        var all = new List<float>?[count + 1];
        var around = new List<float>?[count + 1];
        for (int i = 0; i < n; i++)
        {
            uint l = objects[i];
            if (l != 0)
            {
                (all[l] ??= new List<float>()).Add(value[i]);
                if (depthInside[i] > band)
                    (deep[l] ??= new List<float>()).Add(value[i]);
            }
            else if (nearest[i] != 0 && distanceOutside[i] > band && distanceOutside[i] <= band + ring)
            {
                (around[nearest[i]] ??= new List<float>()).Add(value[i]);
            }
        }

        var threshold = new float[count + 1];
        for (uint l = 0; l <= count; l++)
        {
            var inside = deep[l] is { Count: >= MinPixels } d ? d : all[l];
            threshold[l] = inside is { Count: >= MinPixels } && around[l] is { Count: >= MinPixels } o
                ? (Median(inside) + Median(o)) / 2
                : fallback;
        }

        for (int i = 0; i < n; i++)
            fg[i] = value[i] > threshold[nearest[i]];
        return fg;
    }

    private static float Median(List<float> values)
    {
        values.Sort();
        int m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
