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
            ? LocalForeground(labels.Data, image, options, depthInside, distanceOutside, band)
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

    /// <summary>The image's foreground with a threshold per map object (<see cref="LocalThreshold"/>); null for a flat image.</summary>
    private static bool[]? LocalForeground(uint[] labels, ImageBuffer<float> image, InstanceLabelOptions options, float[] depthInside, float[] distanceOutside, double band)
    {
        var blurred = ThresholdSegmentation.Blurred(image, options.ImageBlurSigma);
        if (blurred is null)
            return null;
        var method = options.ImageThresholdMethod == ThresholdMethod.Local ? ThresholdMethod.LogOtsu : options.ImageThresholdMethod;
        return LocalThreshold.Foreground(labels, blurred, depthInside, distanceOutside, band, Thresholds.Of(blurred, method));
    }
}
