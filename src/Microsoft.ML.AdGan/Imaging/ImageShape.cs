namespace Microsoft.ML.AdGan.Imaging;

/// <summary>The size of a 2D image (Depth = 1) or a 3D volume, stored Z, Y, X in row-major order.</summary>
public readonly record struct ImageShape
{
    /// <summary>Creates a shape; <paramref name="dimensions"/> is 2 for images (depth must be 1) or 3 for volumes.</summary>
    public ImageShape(int depth, int height, int width, int dimensions)
    {
        if (dimensions is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Dimensions must be 2 or 3.");
        if (depth < 1 || height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(depth), $"Shape ({depth}, {height}, {width}) must be positive in every axis.");
        if (dimensions == 2 && depth != 1)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A 2D image has depth 1.");
        Depth = depth;
        Height = height;
        Width = width;
        Dimensions = dimensions;
    }

    /// <summary>Number of Z slices (1 for a 2D image).</summary>
    public int Depth { get; }

    /// <summary>Number of rows (Y).</summary>
    public int Height { get; }

    /// <summary>Number of columns (X).</summary>
    public int Width { get; }

    /// <summary>2 for an image, 3 for a volume.</summary>
    public int Dimensions { get; }

    /// <summary>True for a volume.</summary>
    public bool Is3D => Dimensions == 3;

    /// <summary>Number of pixels or voxels.</summary>
    public long Length => (long)Depth * Height * Width;

    /// <summary>A 2D shape.</summary>
    public static ImageShape Of2D(int height, int width) => new(1, height, width, 2);

    /// <summary>A 3D shape.</summary>
    public static ImageShape Of3D(int depth, int height, int width) => new(depth, height, width, 3);

    /// <summary>The spatial sizes as the tensor dimensions a network sees: (H, W) or (D, H, W).</summary>
    public long[] SpatialSizes() => Is3D ? new long[] { Depth, Height, Width } : new long[] { Height, Width };

    /// <summary>Flat index of (z, y, x).</summary>
    public int IndexOf(int z, int y, int x) => (z * Height + y) * Width + x;

    /// <inheritdoc/>
    public override string ToString() => Is3D ? $"{Depth}x{Height}x{Width}" : $"{Height}x{Width}";
}
