using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// The classical baseline (what users already have: Otsu or Li threshold and a distance-transform watershed), 2D or 3D: min-max rescale, Gaussian blur, Otsu (or Li) threshold, hole
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
        if (!(Options.DistanceJitter >= 0 && Options.DistanceJitter < 1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.DistanceJitter, "DistanceJitter must lie in [0, 1).");
        if (Options.PeakSpacing < 1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.PeakSpacing, "PeakSpacing must be at least 1 when set.");
        if (Options.JitterSeed < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.JitterSeed, "JitterSeed must not be negative.");
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
            Options.MinObjectSize ?? InstanceAssembly.DiscSize(Options.MinDiameter, shape.Is3D), Options.FillHoles, Options.DropBorderObjects, Options.ExcludeBorderPeaks, image.VoxelSize, Options.WatershedConnectivity,
            Options.DistanceJitter, Options.JitterSeed, Options.PeakSpacing);
    }

    /// <summary>
    /// The baseline's foreground: min-max rescale, Gaussian blur (<paramref name="blurSigma"/>, 0: none), a threshold by
    /// <paramref name="method"/> (global, or per object for <see cref="ThresholdMethod.Local"/>), optionally holes filled; null
    /// for a flat image, which has none.
    /// </summary>
    internal static ImageBuffer<bool>? Foreground(ImageBuffer<float> image, double blurSigma, ThresholdMethod method = ThresholdMethod.Otsu, bool fillHoles = true)
    {
        var blurred = Blurred(image, blurSigma);
        if (blurred is null)
            return null;
        bool[] fg;
        if (method == ThresholdMethod.Local)
        {
            fg = LocalThreshold.Foreground(blurred);
        }
        else
        {
            float t = Thresholds.Of(blurred, method);
            fg = new bool[blurred.Data.Length];
            for (int i = 0; i < fg.Length; i++)
                fg[i] = blurred.Data[i] > t;
        }

        var foreground = new ImageBuffer<bool>(fg, image.Shape);
        return fillHoles ? HoleFilling.Fill(foreground) : foreground;
    }

    /// <summary>The image min-max rescaled to [0, 1] and blurred (<paramref name="blurSigma"/>, 0: none); null for a flat image.</summary>
    internal static ImageBuffer<float>? Blurred(ImageBuffer<float> image, double blurSigma)
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
        return blurSigma > 0
            ? GaussianBlur.Apply(new ImageBuffer<float>(scaled, shape), blurSigma)
            : new ImageBuffer<float>(scaled, shape);
    }

    /// <summary>
    /// Splits the touching objects of a binary mask by a watershed of the negated distance transform, with distance peaks
    /// (maxima within <paramref name="markerRadius"/>, at least <paramref name="peakSpacing"/> apart, null: the marker radius)
    /// as markers (at least one object per connected component); the flooding
    /// uses <paramref name="watershedConnectivity"/>, unreached foreground forms objects by full connectivity. A positive
    /// <paramref name="distanceJitter"/> adds seeded uniform noise in [0, jitter) to the distance inside the foreground before
    /// the peaks are found (numpy's <c>RandomState(jitterSeed)</c> stream, one draw per pixel in raster order); the flooding
    /// follows the distance itself.
    /// </summary>
    internal static ImageBuffer<uint> SplitTouching(ImageBuffer<bool> foreground, int markerRadius, double minObjectSize = 0, bool fillHoles = true, bool dropBorderObjects = false, bool excludeBorderPeaks = false, VoxelSize? spacing = null, Connectivity watershedConnectivity = Connectivity.Full, double distanceJitter = 0, int jitterSeed = 0, int? peakSpacing = null)
    {
        ArgumentNullException.ThrowIfNull(foreground);
        var shape = foreground.Shape;
        var dist = DistanceTransform.Euclidean(foreground, spacing);
        var components = ConnectedComponents.Label(foreground, Connectivity.Full);
        var markers = new uint[foreground.Data.Length];
        if (markerRadius >= 1)
        {
            var peakSurface = dist;
            if (distanceJitter > 0)
            {
                peakSurface = new ImageBuffer<float>((float[])dist.Data.Clone(), shape);
                AddJitter(peakSurface.Data, foreground.Data, distanceJitter, jitterSeed);
            }

            var peaks = PeakDetection.FindPeaks(peakSurface, peakSpacing ?? markerRadius, components, diskFootprint: true, excludeBorder: excludeBorderPeaks, footprintRadius: markerRadius);
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

    /// <summary>
    /// Adds <c>jitter x u</c> to every foreground value, u uniform in [0, 1) drawn for every pixel (foreground or not) in raster
    /// order from numpy's <c>RandomState(seed)</c> stream, as <c>d += RandomState(seed).uniform(0, jitter, d.shape) * mask</c>.
    /// </summary>
    internal static void AddJitter(float[] distance, bool[] foreground, double jitter, int seed)
    {
        var random = new MersenneTwister((uint)seed);
        for (int i = 0; i < distance.Length; i++)
        {
            double u = random.NextDouble();
            if (foreground[i])
                distance[i] = (float)(distance[i] + jitter * u);
        }
    }
}
