namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Resizes images and volumes: linear (bilinear in 2D, trilinear in 3D) for intensities, nearest neighbour for label maps
/// and masks. Pixel centres are aligned as scikit-image's resize and PyTorch's align_corners=False: source coordinate =
/// (target + 0.5) * in / out - 0.5, mirrored at the borders. When shrinking an axis, the linear path first applies a
/// Gaussian with sigma = (in / out - 1) / 2 along it, as scikit-image's anti_aliasing (the default here too).
/// The voxel size, when known, is scaled along.
/// </summary>
public static class ImageResampler
{
    /// <summary>The shape after scaling each axis (rounded half to even, as numpy, and at least 1); 2D images ignore <paramref name="scaleZ"/>.</summary>
    public static ImageShape ScaledShape(ImageShape shape, double scaleZ, double scaleY, double scaleX)
    {
        static int S(int n, double s, string name)
        {
            if (!(s > 0) || !double.IsFinite(s))
                throw new ArgumentOutOfRangeException(name, s, "Scale factors must be positive and finite.");
            return (int)Math.Max(1, Math.Round(n * s));
        }

        return shape.Is3D
            ? ImageShape.Of3D(S(shape.Depth, scaleZ, nameof(scaleZ)), S(shape.Height, scaleY, nameof(scaleY)), S(shape.Width, scaleX, nameof(scaleX)))
            : ImageShape.Of2D(S(shape.Height, scaleY, nameof(scaleY)), S(shape.Width, scaleX, nameof(scaleX)));
    }

    /// <summary>Linear resize by one factor on every spatial axis (Z too for a volume).</summary>
    public static ImageBuffer<float> Rescale(ImageBuffer<float> image, double scale, bool antiAlias = true)
        => Rescale(image, scale, scale, scale, antiAlias);

    /// <summary>Linear resize by a factor per axis.</summary>
    public static ImageBuffer<float> Rescale(ImageBuffer<float> image, double scaleZ, double scaleY, double scaleX, bool antiAlias = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Resize(image, ScaledShape(image.Shape, scaleZ, scaleY, scaleX), antiAlias);
    }

    /// <summary>Linear resize to a target shape of the same dimensionality.</summary>
    public static ImageBuffer<float> Resize(ImageBuffer<float> image, ImageShape target, bool antiAlias = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckTarget(image.Shape, target);
        var data = image.Data;
        int[] dims = { image.Shape.Depth, image.Shape.Height, image.Shape.Width };
        int[] to = { target.Depth, target.Height, target.Width };
        for (int axis = 0; axis < 3; axis++)
        {
            if (dims[axis] == to[axis])
                continue;
            if (antiAlias && to[axis] < dims[axis])
                data = GaussianAxis(data, dims, axis, ((double)dims[axis] / to[axis] - 1) / 2);
            data = LinearAxis(data, dims, axis, to[axis]);
            dims[axis] = to[axis];
        }

        if (ReferenceEquals(data, image.Data))
            data = (float[])data.Clone();
        return new ImageBuffer<float>(data, target, ScaleVoxel(image.VoxelSize, image.Shape, target));
    }

    /// <summary>Nearest-neighbour resize by one factor on every spatial axis (for label maps and masks).</summary>
    public static ImageBuffer<T> RescaleNearest<T>(ImageBuffer<T> image, double scale) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(image);
        return ResizeNearest(image, ScaledShape(image.Shape, scale, scale, scale));
    }

    /// <summary>Nearest-neighbour resize to a target shape (labels are never mixed).</summary>
    public static ImageBuffer<T> ResizeNearest<T>(ImageBuffer<T> image, ImageShape target) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckTarget(image.Shape, target);
        var s = image.Shape;
        int[] zi = NearestIndex(s.Depth, target.Depth), yi = NearestIndex(s.Height, target.Height), xi = NearestIndex(s.Width, target.Width);
        var result = new T[target.Length];
        int o = 0;
        for (int z = 0; z < target.Depth; z++)
            for (int y = 0; y < target.Height; y++)
            {
                int row = (zi[z] * s.Height + yi[y]) * s.Width;
                for (int x = 0; x < target.Width; x++)
                    result[o++] = image.Data[row + xi[x]];
            }

        return new ImageBuffer<T>(result, target, ScaleVoxel(image.VoxelSize, image.Shape, target));
    }

    /// <summary>
    /// Linear resample of an anisotropic volume to cubic voxels of <paramref name="spacing"/> micrometres (default: the finest
    /// of its X, Y and Z sizes). Needs a voxel size with Z greater than 0.
    /// </summary>
    public static ImageBuffer<float> ToIsotropic(ImageBuffer<float> image, double? spacing = null, bool antiAlias = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (sz, sy, sx) = IsotropicScales(image.Shape, image.VoxelSize, spacing);
        return Rescale(image, sz, sy, sx, antiAlias);
    }

    /// <summary>Nearest-neighbour version of <see cref="ToIsotropic"/> for label maps and masks.</summary>
    public static ImageBuffer<T> ToIsotropicNearest<T>(ImageBuffer<T> image, double? spacing = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(image);
        var (sz, sy, sx) = IsotropicScales(image.Shape, image.VoxelSize, spacing);
        return ResizeNearest(image, ScaledShape(image.Shape, sz, sy, sx));
    }

    private static (double Z, double Y, double X) IsotropicScales(ImageShape shape, VoxelSize? size, double? spacing)
    {
        if (!shape.Is3D)
            throw new ArgumentException($"ToIsotropic needs a 3D volume; the image is 2D ({shape}).", nameof(shape));
        if (size is not { IsValid: true } v || !(v.Z > 0) || !double.IsFinite(v.Z))
            throw new ArgumentException($"ToIsotropic needs a voxel size with positive X, Y and Z; the volume has {(size is null ? "none" : size.ToString())}.", nameof(size));
        double target = spacing ?? Math.Min(v.Z, Math.Min(v.Y, v.X));
        if (!(target > 0) || !double.IsFinite(target))
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "The isotropic spacing must be positive.");
        return (v.Z / target, v.Y / target, v.X / target);
    }

    private static void CheckTarget(ImageShape source, ImageShape target)
    {
        if (source.Dimensions != target.Dimensions)
            throw new ArgumentException($"Target shape {target} is {target.Dimensions}D but the image {source} is {source.Dimensions}D.", nameof(target));
    }

    private static VoxelSize? ScaleVoxel(VoxelSize? size, ImageShape from, ImageShape to)
        => size is { } v
            ? new VoxelSize(v.Z * from.Depth / to.Depth, v.Y * from.Height / to.Height, v.X * from.Width / to.Width)
            : null;

    private static int[] NearestIndex(int n, int m)
    {
        var idx = new int[m];
        double scale = (double)n / m;
        for (int i = 0; i < m; i++)
            idx[i] = Math.Min(n - 1, (int)Math.Floor((i + 0.5) * scale));
        return idx;
    }

    /// <summary>ndimage 'mirror' boundary: d c b | a b c d | c b a.</summary>
    private static int Mirror(int i, int n)
    {
        if (n == 1)
            return 0;
        int period = 2 * (n - 1);
        i %= period;
        if (i < 0)
            i += period;
        return i < n ? i : period - i;
    }

    /// <summary>Strides of the data for an axis: (outer count, axis length, inner count).</summary>
    private static (int Outer, int Inner) Split(int[] dims, int axis)
    {
        int outer = 1, inner = 1;
        for (int a = 0; a < axis; a++)
            outer *= dims[a];
        for (int a = axis + 1; a < 3; a++)
            inner *= dims[a];
        return (outer, inner);
    }

    private static float[] LinearAxis(float[] src, int[] dims, int axis, int m)
    {
        int n = dims[axis];
        var (outer, inner) = Split(dims, axis);
        var i0 = new int[m];
        var i1 = new int[m];
        var t = new float[m];
        double scale = (double)n / m;
        for (int j = 0; j < m; j++)
        {
            double s = (j + 0.5) * scale - 0.5;
            if (n == 1)
            {
                s = 0;
            }
            else if (s < 0)
            {
                s = -s;
            }
            else if (s > n - 1)
            {
                s = 2 * (n - 1) - s;
            }

            int f = Math.Clamp((int)Math.Floor(s), 0, n - 1);
            i0[j] = f;
            i1[j] = Math.Min(f + 1, n - 1);
            t[j] = (float)(s - f);
        }

        var dst = new float[(long)outer * m * inner];
        Parallel.For(0, outer, o =>
        {
            int sBase = o * n * inner, dBase = o * m * inner;
            for (int j = 0; j < m; j++)
            {
                int a = sBase + i0[j] * inner, b = sBase + i1[j] * inner, d = dBase + j * inner;
                float w = t[j];
                for (int k = 0; k < inner; k++)
                    dst[d + k] = src[a + k] + (src[b + k] - src[a + k]) * w;
            }
        });
        return dst;
    }

    private static float[] GaussianAxis(float[] src, int[] dims, int axis, double sigma)
    {
        if (sigma <= 0)
            return src;
        int n = dims[axis];
        int radius = (int)(4.0 * sigma + 0.5);
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
            sum += kernel[i + radius] = (float)Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < kernel.Length; i++)
            kernel[i] /= (float)sum;
        var (outer, inner) = Split(dims, axis);
        var dst = new float[src.Length];
        Parallel.For(0, outer, o =>
        {
            int baseIndex = o * n * inner;
            for (int j = 0; j < n; j++)
            {
                int d = baseIndex + j * inner;
                for (int r = -radius; r <= radius; r++)
                {
                    int s = baseIndex + Mirror(j + r, n) * inner;
                    float w = kernel[r + radius];
                    for (int k = 0; k < inner; k++)
                        dst[d + k] += src[s + k] * w;
                }
            }
        });
        return dst;
    }
}
