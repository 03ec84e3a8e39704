using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Turns a decoded map (float in [-1, 1], 2D or 3D) into an instance label map. Three-level mode: connected cores are the
/// markers, grown through ring and foreground by a watershed (of the distance to the cores, or of the negated map); foreground no core reaches keeps a label
/// of its own. Semantic mode: touching nuclei of the binary foreground are split by a distance-transform watershed.
/// Stateless and thread-safe.
/// </summary>
public sealed class InstanceLabeler
{
    /// <summary>Creates a labeler (null: defaults).</summary>
    public InstanceLabeler(InstanceLabelOptions? options = null)
    {
        Options = options ?? new InstanceLabelOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public InstanceLabelOptions Options { get; }

    /// <summary>Labels a decoded map: 0 background, 1..K objects in raster order of their markers.</summary>
    public ImageBuffer<uint> Label(ImageBuffer<float> map) => Label(map, Options.WorkingScale);

    /// <summary>Labels a decoded map at <paramref name="workingScale"/> instead of <see cref="InstanceLabelOptions.WorkingScale"/> (labels at the map's size).</summary>
    public ImageBuffer<uint> Label(ImageBuffer<float> map, double workingScale)
    {
        if (Options.ImageBoundaryBand > 0)
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"ImageBoundaryBand is {Options.ImageBoundaryBand}, which needs the image: call Label(map, image, workingScale), or set ImageBoundaryBand to 0."));
        return LabelAtScale(map, workingScale);
    }

    /// <summary>Labels a decoded map at <see cref="InstanceLabelOptions.WorkingScale"/> with its image for <see cref="InstanceLabelOptions.ImageBoundaryBand"/> (same shape).</summary>
    public ImageBuffer<uint> Label(ImageBuffer<float> map, ImageBuffer<float> image) => Label(map, image, Options.WorkingScale);

    /// <summary>
    /// Labels a decoded map at <paramref name="workingScale"/>, then, with <see cref="InstanceLabelOptions.ImageBoundaryBand"/>,
    /// refits the boundaries at full size with <paramref name="image"/> (the image the map was decoded from, same shape, any range).
    /// </summary>
    public ImageBuffer<uint> Label(ImageBuffer<float> map, ImageBuffer<float> image, double workingScale)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Label(map, image, workingScale, CancellationToken.None);
    }

    /// <summary>
    /// As the public overloads (<paramref name="image"/> null: no boundary refinement), checking
    /// <paramref name="cancellationToken"/> between the labelling phases.
    /// </summary>
    internal ImageBuffer<uint> Label(ImageBuffer<float> map, ImageBuffer<float>? image, double workingScale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (image is null)
            return Options.ImageBoundaryBand > 0 ? Label(map, workingScale) : LabelAtScale(map, workingScale, cancellationToken);
        if (image.Shape != map.Shape)
            throw new ArgumentException($"The image is {image.Shape} but its decoded map is {map.Shape}.", nameof(image));
        var labels = LabelAtScale(map, workingScale, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return Options.ImageBoundaryBand > 0 ? ImageBoundaryRefinement.Apply(labels, map, image, Options, workingScale) : labels;
    }

    private ImageBuffer<uint> LabelAtScale(ImageBuffer<float> map, double workingScale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!(workingScale > 0 && workingScale <= 16))
            throw new ArgumentOutOfRangeException(nameof(workingScale), workingScale, "The working scale must lie in (0, 16].");
        if (workingScale == 1.0)
            return LabelAtOwnSize(map, cancellationToken);
        var working = ImageResampler.Rescale(map, workingScale);
        cancellationToken.ThrowIfCancellationRequested();
        return ImageResampler.ResizeNearest(LabelAtOwnSize(working, cancellationToken), map.Shape);
    }

    private ImageBuffer<uint> LabelAtOwnSize(ImageBuffer<float> map, CancellationToken cancellationToken)
    {
        var o = Options;
        var shape = map.Shape;
        var data = map.Data;
        var fg = new bool[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsNaN(data[i]))
                throw new ArgumentException($"The decoded map has NaN at flat index {i}.", nameof(map));
            fg[i] = data[i] > o.ForegroundThreshold;
        }

        if (o.Mode == InstanceLabelMode.DistancePeaks)
            return DistancePeakLabeling.Label(map, fg, o);

        if (o.Mode == InstanceLabelMode.Semantic)
        {
            // No global hole filling here: gaps enclosed by a ring of touching nuclei are what separates them.
            var foreground = new ImageBuffer<bool>(fg, shape, map.VoxelSize);
            return ThresholdSegmentation.SplitTouching(foreground, o.MinMarkerDistance, o.MinObjectSize, o.FillHoles, o.DropBorderObjects, excludeBorderPeaks: false, spacing: ValidSpacing(map));
        }

        var core = new bool[data.Length];
        for (int i = 0; i < data.Length; i++)
            core[i] = fg[i] && data[i] > o.CoreThreshold;
        uint[] markers = ConnectedComponents.LabelCore(core, shape, null, o.Connectivity, out _).Data;
        if (o.MinCoreSize > 1)
            ObjectFilters.RemoveSmallObjectsInPlace(markers, o.MinCoreSize);
        cancellationToken.ThrowIfCancellationRequested();
        float[] surface;
        if (o.Growth == InstanceGrowth.CoreDistance)
        {
            // Euclidean distance to the nearest core: the flood advances at the same speed from every core.
            var notCore = new bool[data.Length];
            for (int i = 0; i < data.Length; i++)
                notCore[i] = markers[i] == 0;
            double[] sq = DistanceTransform.SquaredEuclidean(notCore, shape, ValidSpacing(map));
            surface = new float[data.Length];
            for (int i = 0; i < data.Length; i++)
                surface[i] = (float)sq[i];
        }
        else
        {
            surface = new float[data.Length];
            for (int i = 0; i < data.Length; i++)
                surface[i] = -data[i];
        }
        cancellationToken.ThrowIfCancellationRequested();
        var labels = InstanceAssembly.Assemble(surface, markers, fg, shape, o.Connectivity, o.FillHoles, o.MinObjectSize, o.DropBorderObjects);
        return new ImageBuffer<uint>(labels, shape, map.VoxelSize);
    }

    private static VoxelSize? ValidSpacing(ImageBuffer<float> map)
        => map.VoxelSize is { IsValid: true } v && (!map.Shape.Is3D || v.Z > 0) ? v : null;
}
