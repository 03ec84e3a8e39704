using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Separable Gaussian blur (as scipy.ndimage.gaussian_filter): kernel radius int(truncate sigma + 0.5), double accumulation.</summary>
internal static class GaussianBlur
{
    /// <summary>Blurs with the same sigma (pixels) along every spatial axis; in 3D pass a <see cref="VoxelSize"/>-like triple with the other overload.</summary>
    public static ImageBuffer<float> Apply(ImageBuffer<float> image, double sigma, BoundaryMode mode = BoundaryMode.Nearest, double truncate = 4.0)
        => Apply(image, image.Shape.Is3D ? sigma : 0, sigma, sigma, mode, truncate);

    /// <summary>Blurs with one sigma per axis (Z, Y, X, in pixels; 0 leaves that axis alone).</summary>
    public static ImageBuffer<float> Apply(ImageBuffer<float> image, double sigmaZ, double sigmaY, double sigmaX, BoundaryMode mode = BoundaryMode.Nearest, double truncate = 4.0)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (sigmaZ < 0 || sigmaY < 0 || sigmaX < 0 || !double.IsFinite(sigmaZ + sigmaY + sigmaX))
            throw new ArgumentOutOfRangeException(nameof(sigmaY), $"Sigmas ({sigmaZ}, {sigmaY}, {sigmaX}) must be finite and not negative.");
        var data = new double[image.Data.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = image.Data[i];
        Filter(data, image.Shape, sigmaZ, sigmaY, sigmaX, mode, truncate);
        var result = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
            result[i] = (float)data[i];
        return new ImageBuffer<float>(result, image.Shape, image.VoxelSize);
    }

    /// <summary>Blurs a (depth, height, width) grid of <paramref name="shape"/> in place, borders replicated (the simulator's smoothing).</summary>
    internal static void InPlace(float[] data, ImageShape shape, double sigmaZ, double sigmaY, double sigmaX, double truncate)
    {
        var result = Apply(new ImageBuffer<float>(data, shape), sigmaZ, sigmaY, sigmaX, BoundaryMode.Nearest, truncate);
        result.Data.CopyTo(data, 0);
    }

    private static void Filter(double[] data, ImageShape shape, double sigmaZ, double sigmaY, double sigmaX, BoundaryMode mode, double truncate)
    {
        int w = shape.Width, h = shape.Height, d = shape.Depth;
        if (sigmaX > 0)
            for (int start = 0; start < data.Length; start += w)
                Filter1D(data, start, 1, w, Kernel(sigmaX, truncate), mode);
        if (sigmaY > 0)
        {
            var k = Kernel(sigmaY, truncate);
            for (int z = 0; z < d; z++)
                for (int x = 0; x < w; x++)
                    Filter1D(data, z * h * w + x, w, h, k, mode);
        }

        if (sigmaZ > 0 && d > 1)
        {
            var k = Kernel(sigmaZ, truncate);
            for (int p = 0; p < h * w; p++)
                Filter1D(data, p, h * w, d, k, mode);
        }
    }

    /// <summary>The normalised 1D kernel of scipy: weights exp(-x^2 / (2 sigma^2)) for |x| up to int(truncate sigma + 0.5).</summary>
    internal static double[] Kernel(double sigma, double truncate)
    {
        int radius = (int)(truncate * sigma + 0.5);
        var k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            k[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }

        for (int i = 0; i < k.Length; i++)
            k[i] /= sum;
        return k;
    }

    internal static int MapIndex(int i, int n, BoundaryMode mode)
    {
        if ((uint)i < (uint)n)
            return i;
        if (n == 1)
            return 0;
        switch (mode)
        {
            case BoundaryMode.Nearest:
                return i < 0 ? 0 : n - 1;
            case BoundaryMode.Mirror:
            {
                int period = 2 * n - 2;
                int m = ((i % period) + period) % period;
                return m < n ? m : period - m;
            }

            default:
            {
                int period = 2 * n;
                int m = ((i % period) + period) % period;
                return m < n ? m : period - 1 - m;
            }
        }
    }

    private static void Filter1D(double[] data, int start, int stride, int n, double[] kernel, BoundaryMode mode)
    {
        int radius = kernel.Length / 2;
        var line = new double[n + 2 * radius];
        for (int i = -radius; i < n + radius; i++)
            line[i + radius] = data[start + MapIndex(i, n, mode) * stride];
        for (int q = 0; q < n; q++)
        {
            double s = 0;
            for (int j = 0; j < kernel.Length; j++)
                s += kernel[j] * line[q + j];
            data[start + q * stride] = s;
        }
    }
}
