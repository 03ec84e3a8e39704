using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Turns a simulated volume on cubic voxels into a confocal-like stack with a coarser Z step: every
/// <c>zStep</c>-th slice of the (already Z-blurred) image and of its labels is kept, and the voxel size is recorded on
/// both, so that files written from them carry it.
/// </summary>
internal static class AnisotropicSampling
{
    /// <summary>Keeps slices 0, zStep, 2 zStep, ... of <paramref name="volume"/>; voxels become (zStep x pixelSize, pixelSize, pixelSize) micrometres.</summary>
    public static SimulatedMicroscopyImage SampleZ(SimulatedMicroscopyImage volume, int zStep, double pixelSize)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var shape = volume.Image.Shape;
        if (!shape.Is3D)
            throw new ArgumentException($"Z sampling needs a volume; simulated image {volume.Index} is 2D ({shape}).", nameof(volume));
        if (zStep < 1)
            throw new ArgumentOutOfRangeException(nameof(zStep), zStep, "The Z step must be at least 1 slice.");
        if (!(pixelSize > 0) || !double.IsFinite(pixelSize))
            throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "The pixel size must be positive and finite (micrometres).");
        var voxel = new VoxelSize(zStep * pixelSize, pixelSize, pixelSize);
        int depth = (shape.Depth + zStep - 1) / zStep;
        var target = ImageShape.Of3D(depth, shape.Height, shape.Width);
        var image = new ImageBuffer<float>(Slices(volume.Image.Data, shape, zStep, depth), target, voxel);
        var labels = new ImageBuffer<uint>(Slices(volume.Labels.Data, shape, zStep, depth), target, voxel);
        int count = labels.Data.Where(l => l != 0).Distinct().Count();
        return volume with { Image = image, Labels = labels, NucleusCount = count };
    }

    private static T[] Slices<T>(T[] data, ImageShape shape, int zStep, int depth)
    {
        int plane = shape.Height * shape.Width;
        var result = new T[(long)depth * plane];
        for (int z = 0; z < depth; z++)
            Array.Copy(data, (long)z * zStep * plane, result, (long)z * plane, plane);
        return result;
    }
}
