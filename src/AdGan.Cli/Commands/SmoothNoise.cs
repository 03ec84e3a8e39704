namespace AdGan.Cli.Commands;

/// <summary>Smooth random images in [-1, 1] (sums of low-frequency cosines): inputs for speed benchmarks that need no microscopy.</summary>
internal static class SmoothNoise
{
    /// <summary><paramref name="count"/> batches of <paramref name="batch"/> smooth images of crop x crop pixels, from <paramref name="seed"/>.</summary>
    public static List<float[]> Batches(int count, int batch, int crop, int seed)
    {
        var random = new Random(seed);
        var list = new List<float[]>();
        for (var i = 0; i < count; i++)
        {
            var data = new float[batch * crop * crop];
            for (var j = 0; j < batch; j++)
                Array.Copy(Image(crop, crop, random), 0, data, j * crop * crop, crop * crop);
            list.Add(data);
        }
        return list;
    }

    /// <summary>Sum of a few random low-frequency cosines squashed into [-1, 1].</summary>
    public static float[] Image(int height, int width, Random random)
    {
        const int Waves = 6;
        var fy = new double[Waves];
        var fx = new double[Waves];
        var phase = new double[Waves];
        for (var k = 0; k < Waves; k++)
        {
            fy[k] = (random.NextDouble() - 0.5) * 0.4;
            fx[k] = (random.NextDouble() - 0.5) * 0.4;
            phase[k] = random.NextDouble() * 2 * Math.PI;
        }
        var data = new float[(long)height * width];
        Parallel.For(0, height, y =>
        {
            for (var x = 0; x < width; x++)
            {
                double v = 0;
                for (var k = 0; k < Waves; k++) v += Math.Cos(fy[k] * y + fx[k] * x + phase[k]);
                data[(long)y * width + x] = (float)Math.Tanh(v / 2);
            }
        });
        return data;
    }
}
