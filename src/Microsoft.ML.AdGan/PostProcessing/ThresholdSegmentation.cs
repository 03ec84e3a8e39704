using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// The classical baseline (reference section 7), 2D or 3D: min-max rescale, Gaussian blur, Otsu (or Li) threshold, hole
/// filling, Euclidean distance transform, distance peaks as markers (disk footprint, per connected component), watershed of
/// the negated distance inside the foreground, unmarked foreground kept as objects, per-object hole filling, size filter.
/// </summary>
public sealed class ThresholdSegmentation
{
    /// <summary>Creates the segmenter (null: defaults).</summary>
    public ThresholdSegmentation(ThresholdSegmentationOptions? options = null)
    {
        Options = options ?? new ThresholdSegmentationOptions();
        if (!(Options.MinDiameter > 0))
            throw new ArgumentOutOfRangeException(nameof(options), Options.MinDiameter, "MinDiameter must be positive.");
        if (Options.BlurSigma < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.BlurSigma, "BlurSigma must not be negative.");
    }

    /// <summary>The options in use.</summary>
    public ThresholdSegmentationOptions Options { get; }

    /// <summary>Segments an intensity image or volume (any range) into an instance label map.</summary>
    public ImageBuffer<uint> Segment(ImageBuffer<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shape = image.Shape;
        var foreground = Foreground(image, Options.BlurSigma, Options.Method, Options.FillHoles);
        if (foreground is null)
            return new ImageBuffer<uint>(shape, image.VoxelSize); // flat image: nothing to find
        return SplitTouching(foreground, Options.MarkerRadius ?? (int)Math.Round(Options.MinDiameter / 1.5),
            Options.MinObjectSize ?? InstanceAssembly.DiscSize(Options.MinDiameter, shape.Is3D), Options.FillHoles, Options.DropBorderObjects, Options.ExcludeBorderPeaks, image.VoxelSize, Options.WatershedConnectivity);
    }

    /// <summary>
    /// The baseline's foreground: min-max rescale, Gaussian blur (<paramref name="blurSigma"/>, 0: none), Otsu or Li threshold,
    /// optionally holes filled; null for a flat image, which has none.
    /// </summary>
    internal static ImageBuffer<bool>? Foreground(ImageBuffer<float> image, double blurSigma, ThresholdMethod method = ThresholdMethod.Otsu, bool fillHoles = true)
    {
        var shape = image.Shape;
        var data = image.Data;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in data)
        {
            if (v < min)
                min = v;
            if (v > max)
                max = v;
        }

        if (!(max > min))
            return null;
        var scaled = new float[data.Length];
        float range = max - min;
        for (int i = 0; i < data.Length; i++)
            scaled[i] = (data[i] - min) / range;
        var blurred = blurSigma > 0
            ? GaussianBlur.Apply(new ImageBuffer<float>(scaled, shape), blurSigma)
            : new ImageBuffer<float>(scaled, shape);
        float t = method == ThresholdMethod.Li ? Thresholds.Li(blurred) : Thresholds.Otsu(blurred);
        var fg = new bool[data.Length];
        for (int i = 0; i < fg.Length; i++)
            fg[i] = blurred.Data[i] > t;
        var foreground = new ImageBuffer<bool>(fg, shape);
        return fillHoles ? HoleFilling.Fill(foreground) : foreground;
    }

    /// <summary>
    /// Splits the touching objects of a binary mask by a watershed of the negated distance transform, with distance peaks
    /// at least <paramref name="markerRadius"/> apart as markers (at least one object per connected component); the flooding
    /// uses <paramref name="watershedConnectivity"/>, unreached foreground forms objects by full connectivity.
    /// </summary>
    public static ImageBuffer<uint> SplitTouching(ImageBuffer<bool> foreground, int markerRadius, double minObjectSize = 0, bool fillHoles = true, bool dropBorderObjects = false, bool excludeBorderPeaks = false, VoxelSize? spacing = null, Connectivity watershedConnectivity = Connectivity.Full)
    {
        ArgumentNullException.ThrowIfNull(foreground);
        var shape = foreground.Shape;
        var dist = DistanceTransform.Euclidean(foreground, spacing);
        var components = ConnectedComponents.Label(foreground, Connectivity.Full);
        var markers = new uint[foreground.Data.Length];
        if (markerRadius >= 1)
        {
            var peaks = PeakDetection.FindPeaks(dist, markerRadius, components, diskFootprint: true, excludeBorder: excludeBorderPeaks);
            uint next = 0;
            foreach (int p in peaks)
                markers[p] = ++next;
        }

        var negated = new float[dist.Data.Length];
        for (int i = 0; i < negated.Length; i++)
            negated[i] = -dist.Data[i];
        var labels = InstanceAssembly.Assemble(negated, markers, foreground.Data, shape, watershedConnectivity, fillHoles, minObjectSize, dropBorderObjects, Connectivity.Full);
        return new ImageBuffer<uint>(labels, shape, foreground.VoxelSize);
    }
}
