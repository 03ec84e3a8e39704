namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Brings volumes with anisotropic voxels to cubic voxels before training and inference (as the authors resampled their
/// confocal stacks) and results back to the original grid. Images, volumes without a recorded voxel size and volumes
/// whose voxels are already cubic pass through unchanged.
/// </summary>
internal static class IsotropicVolumes
{
    /// <summary>Relative difference between axis sizes below which voxels count as cubic.</summary>
    public const double Tolerance = 0.01;

    /// <summary>True when <paramref name="image"/> is a volume with a recorded voxel size (Z included) whose axes differ.</summary>
    public static bool NeedsResampling(ImageBuffer<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return NeedsResampling(image.Shape, image.VoxelSize);
    }

    /// <summary>True when a volume of <paramref name="shape"/> with <paramref name="voxelSize"/> has non-cubic voxels.</summary>
    public static bool NeedsResampling(ImageShape shape, VoxelSize? voxelSize)
    {
        if (!shape.Is3D || voxelSize is not { IsValid: true } v || !(v.Z > 0) || !double.IsFinite(v.Z))
            return false;
        double finest = Math.Min(v.Z, Math.Min(v.Y, v.X));
        return Math.Max(v.Z, Math.Max(v.Y, v.X)) > finest * (1 + Tolerance);
    }

    /// <summary>The volume on cubic voxels of its finest axis (linear, anti-aliased), or <paramref name="image"/> itself when no resampling is needed.</summary>
    public static ImageBuffer<float> ToIsotropic(ImageBuffer<float> image)
        => NeedsResampling(image) ? ImageResampler.ToIsotropic(image) : image;

    /// <summary>Label map version of <see cref="ToIsotropic"/> (nearest neighbour).</summary>
    public static ImageBuffer<uint> ToIsotropicLabels(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return NeedsResampling(labels.Shape, labels.VoxelSize) ? ImageResampler.ToIsotropicNearest(labels) : labels;
    }

    /// <summary>A map computed on the isotropic grid, resized linearly back to <paramref name="original"/>'s shape and voxel size.</summary>
    public static ImageBuffer<float> ToOriginalGrid(ImageBuffer<float> map, ImageBuffer<float> original)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(original);
        var resized = map.Shape == original.Shape ? map : ImageResampler.Resize(map, original.Shape);
        return new ImageBuffer<float>(resized.Data, original.Shape, original.VoxelSize);
    }

    /// <summary>A label map computed on the isotropic grid, resized back to <paramref name="original"/>'s shape (nearest neighbour).</summary>
    public static ImageBuffer<uint> ToOriginalGrid(ImageBuffer<uint> labels, ImageBuffer<float> original)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(original);
        var resized = labels.Shape == original.Shape ? labels : ImageResampler.ResizeNearest(labels, original.Shape);
        return new ImageBuffer<uint>(resized.Data, original.Shape, original.VoxelSize);
    }

    /// <summary>Runs <paramref name="map"/> on the isotropic version of <paramref name="image"/> and returns its result on the original grid.</summary>
    public static ImageBuffer<float> Apply(ImageBuffer<float> image, Func<ImageBuffer<float>, ImageBuffer<float>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var working = ToIsotropic(image);
        var result = map(working);
        return ReferenceEquals(working, image) ? result : ToOriginalGrid(result, image);
    }

    /// <summary>Runs a labeller on the isotropic version of <paramref name="image"/> and returns its labels on the original grid.</summary>
    public static ImageBuffer<uint> ApplyLabels(ImageBuffer<float> image, Func<ImageBuffer<float>, ImageBuffer<uint>> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var working = ToIsotropic(image);
        var result = label(working);
        return ReferenceEquals(working, image) ? result : ToOriginalGrid(result, image);
    }
}
