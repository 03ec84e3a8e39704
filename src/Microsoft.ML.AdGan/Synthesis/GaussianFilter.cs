namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>Separable Gaussian smoothing of a Z, Y, X float grid, borders clamped (replicated).</summary>
internal static class GaussianFilter
{
    /// <summary>Smooths <paramref name="data"/> in place with the given sigmas per axis (0 skips an axis).</summary>
    public static void Apply(float[] data, int depth, int height, int width, double sigmaZ, double sigmaY, double sigmaX)
    {
        int longest = Math.Max(depth, Math.Max(height, width));
        var line = new float[longest];
        if (sigmaX > 0 && width > 1)
        {
            var k = Kernel(sigmaX);
            for (int r = 0; r < depth * height; r++)
                Convolve(data, r * width, 1, width, k, line);
        }

        if (sigmaY > 0 && height > 1)
        {
            var k = Kernel(sigmaY);
            for (int z = 0; z < depth; z++)
                for (int x = 0; x < width; x++)
                    Convolve(data, z * height * width + x, width, height, k, line);
        }

        if (sigmaZ > 0 && depth > 1)
        {
            var k = Kernel(sigmaZ);
            int plane = height * width;
            for (int i = 0; i < plane; i++)
                Convolve(data, i, plane, depth, k, line);
        }
    }

    private static float[] Kernel(double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
            sum += k[i + radius] = (float)Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.Length; i++)
            k[i] = (float)(k[i] / sum);
        return k;
    }

    private static void Convolve(float[] data, int start, int stride, int n, float[] kernel, float[] line)
    {
        for (int i = 0; i < n; i++)
            line[i] = data[start + i * stride];
        int radius = kernel.Length / 2;
        for (int i = 0; i < n; i++)
        {
            float sum = 0;
            for (int j = -radius; j <= radius; j++)
                sum += kernel[j + radius] * line[Math.Clamp(i + j, 0, n - 1)];
            data[start + i * stride] = sum;
        }
    }
}
