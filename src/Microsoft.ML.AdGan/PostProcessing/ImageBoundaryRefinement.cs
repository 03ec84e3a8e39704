using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Refits instance labels found at a working scale to the full-size image: near the decoded map's nucleus boundary (within a
/// band) the image's own foreground (blur, Otsu, as the classical baseline) decides; deeper inside the map's nuclei stays
/// foreground and farther outside stays background, so the image can move boundaries but not add or remove nuclei. Labels
/// then grow from the working-scale objects to the nearest pixel of the refined foreground.
/// </summary>
internal static class ImageBoundaryRefinement
{
    /// <summary>
    /// Refines <paramref name="labels"/> (at <paramref name="map"/>'s size, found at <paramref name="workingScale"/>) with
    /// <paramref name="image"/> (same size); the band and minimum object size count pixels at the working scale.
    /// </summary>
    public static ImageBuffer<uint> Apply(ImageBuffer<uint> labels, ImageBuffer<float> map, ImageBuffer<float> image, InstanceLabelOptions options, double workingScale)
    {
        var shape = map.Shape;
        int n = map.Data.Length;
        var fromMap = new bool[n];
        var outsideMap = new bool[n];
        for (int i = 0; i < n; i++)
        {
            fromMap[i] = map.Data[i] > options.ForegroundThreshold;
            outsideMap[i] = !fromMap[i];
        }

        var depthInside = DistanceTransform.Euclidean(new ImageBuffer<bool>(fromMap, shape)).Data;
        var distanceOutside = DistanceTransform.Euclidean(new ImageBuffer<bool>(outsideMap, shape)).Data;
        double band = options.ImageBoundaryBand / workingScale;

        // A flat image says nothing: the map keeps its own boundary.
        bool[] fromImage = (options.LocalImageThreshold
            ? LocalForeground(labels.Data, image, options.ImageBlurSigma, depthInside, distanceOutside, band, options.ImageThresholdMethod)
            : ThresholdSegmentation.Foreground(image, options.ImageBlurSigma, options.ImageThresholdMethod)?.Data) ?? fromMap;
        var foreground = new bool[n];
        var markers = new uint[n];
        var unmarked = new bool[n];
        for (int i = 0; i < n; i++)
        {
            foreground[i] = depthInside[i] > band || (fromImage[i] && distanceOutside[i] <= band);
            markers[i] = foreground[i] ? labels.Data[i] : 0;
            unmarked[i] = markers[i] == 0;
        }

        // Every refined pixel joins the object nearest to it (Euclidean), flooding only through the refined foreground.
        double[] squared = DistanceTransform.SquaredEuclidean(unmarked, shape, null);
        var surface = new float[n];
        for (int i = 0; i < n; i++)
            surface[i] = (float)squared[i];
        double minSize = options.MinObjectSize / Math.Pow(workingScale, shape.Dimensions);
        var refined = InstanceAssembly.Assemble(surface, markers, foreground, shape, options.Connectivity, options.FillHoles, minSize, options.DropBorderObjects);
        return new ImageBuffer<uint>(refined, shape, labels.VoxelSize);
    }

    /// <summary>
    /// The image's foreground with a threshold per object: halfway between the median of the blurred image over the object's
    /// inside (deeper than the band, or all of it when thin) and over its own ring of background just outside the band (the
    /// pixels nearer to it than to any other object); a pixel takes the threshold of its nearest object. Objects without a
    /// usable ring take the image's threshold by <paramref name="method"/>, so one bright nucleus cannot set the boundary of a
    /// dim neighbour. Null for a flat image.
    /// </summary>
    internal static bool[]? LocalForeground(uint[] labels, ImageBuffer<float> image, double blurSigma, float[] depthInside, float[] distanceOutside, double band, ThresholdMethod method)
    {
        var blurred = ThresholdSegmentation.Blurred(image, blurSigma);
        if (blurred is null)
            return null;
        var shape = image.Shape;
        int n = labels.Length;
        var value = blurred.Data;
        var unlabelled = new bool[n];
        var everywhere = new bool[n];
        uint count = 0;
        for (int i = 0; i < n; i++)
        {
            unlabelled[i] = labels[i] == 0;
            everywhere[i] = true;
            count = Math.Max(count, labels[i]);
        }

        float global = Thresholds.Of(blurred, method);
        var fg = new bool[n];
        if (count == 0)
        {
            for (int i = 0; i < n; i++)
                fg[i] = value[i] > global;
            return fg;
        }

        double[] squared = DistanceTransform.SquaredEuclidean(unlabelled, shape, null);
        var surface = new float[n];
        for (int i = 0; i < n; i++)
            surface[i] = (float)squared[i];
        uint[] nearest = Watershed.FloodCore(surface, labels, everywhere, shape, Connectivity.Full);

        double ring = Math.Max(2 * band, 2);
        var deep = new List<float>?[count + 1];
        var all = new List<float>?[count + 1];
        var outside = new List<float>?[count + 1];
        for (int i = 0; i < n; i++)
        {
            uint l = labels[i];
            if (l != 0)
            {
                (all[l] ??= new List<float>()).Add(value[i]);
                if (depthInside[i] > band)
                    (deep[l] ??= new List<float>()).Add(value[i]);
            }
            else if (nearest[i] != 0 && distanceOutside[i] > band && distanceOutside[i] <= band + ring)
            {
                (outside[nearest[i]] ??= new List<float>()).Add(value[i]);
            }
        }

        const int MinPixels = 5;
        var threshold = new float[count + 1];
        for (uint l = 0; l <= count; l++)
        {
            var inside = deep[l] is { Count: >= MinPixels } d ? d : all[l];
            threshold[l] = inside is { Count: >= MinPixels } && outside[l] is { Count: >= MinPixels } o
                ? (Median(inside) + Median(o)) / 2
                : global;
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
