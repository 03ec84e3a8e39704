namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// A single-channel image or volume in memory: intensities (float), masks (byte) or instance labels (uint, 0 = background).
/// Data is Z, Y, X row-major. The common currency between imaging, synthesis, inference, post-processing and evaluation.
/// </summary>
public sealed class ImageBuffer<T> where T : unmanaged
{
    /// <summary>Wraps existing data; its length must equal the shape's.</summary>
    public ImageBuffer(T[] data, ImageShape shape, VoxelSize? voxelSize = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != shape.Length)
            throw new ArgumentException($"Data has {data.LongLength} elements but shape {shape} needs {shape.Length}.", nameof(data));
        Data = data;
        Shape = shape;
        VoxelSize = voxelSize;
    }

    /// <summary>Allocates a zero-filled buffer.</summary>
    public ImageBuffer(ImageShape shape, VoxelSize? voxelSize = null)
        : this(new T[checked((int)shape.Length)], shape, voxelSize)
    {
    }

    /// <summary>The pixels or voxels, Z, Y, X row-major.</summary>
    public T[] Data { get; }

    /// <summary>The size.</summary>
    public ImageShape Shape { get; }

    /// <summary>Physical pixel or voxel size when the file recorded one.</summary>
    public VoxelSize? VoxelSize { get; }

    /// <summary>Value at (z, y, x).</summary>
    public T this[int z, int y, int x]
    {
        get => Data[Shape.IndexOf(z, y, x)];
        set => Data[Shape.IndexOf(z, y, x)] = value;
    }

    /// <summary>Value at (y, x) of a 2D image.</summary>
    public T this[int y, int x]
    {
        get => Data[y * Shape.Width + x];
        set => Data[y * Shape.Width + x] = value;
    }
}
