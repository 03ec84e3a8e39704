using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>2D views of volumes for pictures: single slices, maximum-intensity projections and label projections along Z.</summary>
internal static class VolumeViews
{
    /// <summary>Slice <paramref name="z"/> of a volume as a 2D buffer (a 2D image is returned as it is for z = 0).</summary>
    public static ImageBuffer<T> Slice<T>(ImageBuffer<T> volume, int z) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        var s = volume.Shape;
        if (z < 0 || z >= s.Depth)
            throw new ArgumentOutOfRangeException(nameof(z), z, $"Slice {z} is outside the volume's {s.Depth} slices.");
        if (!s.Is3D)
            return volume;
        int plane = s.Height * s.Width;
        var data = new T[plane];
        Array.Copy(volume.Data, (long)z * plane, data, 0, plane);
        return new ImageBuffer<T>(data, ImageShape.Of2D(s.Height, s.Width), volume.VoxelSize);
    }

    /// <summary>Maximum-intensity projection along Z.</summary>
    public static ImageBuffer<float> MaxProjection(ImageBuffer<float> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var s = volume.Shape;
        int plane = s.Height * s.Width;
        var data = new float[plane];
        Array.Fill(data, float.NegativeInfinity);
        for (int z = 0; z < s.Depth; z++)
            for (int i = 0; i < plane; i++)
                data[i] = Math.Max(data[i], volume.Data[(long)z * plane + i]);
        return new ImageBuffer<float>(data, ImageShape.Of2D(s.Height, s.Width), volume.VoxelSize);
    }

    /// <summary>Labels seen from the top: at each (y, x), the label of the first labelled voxel along Z (0 where there is none).</summary>
    public static ImageBuffer<uint> LabelProjection(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var s = labels.Shape;
        int plane = s.Height * s.Width;
        var data = new uint[plane];
        for (int z = 0; z < s.Depth; z++)
            for (int i = 0; i < plane; i++)
                if (data[i] == 0)
                    data[i] = labels.Data[(long)z * plane + i];
        return new ImageBuffer<uint>(data, ImageShape.Of2D(s.Height, s.Width), labels.VoxelSize);
    }
}
