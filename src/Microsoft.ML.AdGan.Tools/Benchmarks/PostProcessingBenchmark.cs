using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>Times the post-processing primitives on a synthetic, realistic nuclei map (touching disks) of a given size.</summary>
public static class PostProcessingBenchmark
{
    /// <summary>Builds a height x width 3-level map of about 12-pixel-radius touching nuclei, times each step, prints and returns the seconds per step.</summary>
    public static IReadOnlyDictionary<string, double> Run(int height = 4096, int width = 4096, TextWriter? output = null, int seed = 1)
    {
        output ??= Console.Out;
        var shape = ImageShape.Of2D(height, width);
        var map = SyntheticMap(shape, seed, out var mask);
        var times = new Dictionary<string, double>();
        ImageBuffer<uint>? components = null;
        Time("connected components (8-conn)", () => components = ConnectedComponents.Label(mask, Connectivity.Full, out _));
        Time("connected components (4-conn)", () => ConnectedComponents.Label(mask, Connectivity.Face, out _));
        ImageBuffer<float>? dist = null;
        Time("Euclidean distance transform", () => dist = DistanceTransform.Euclidean(mask));
        Time("fill holes", () => HoleFilling.Fill(mask));
        Time("Gaussian blur sigma 1", () => GaussianBlur.Apply(map, 1.0));
        Time("Otsu threshold", () => Thresholds.Otsu(map));
        Time("watershed (-distance, components as markers)", () =>
        {
            var neg = new ImageBuffer<float>(dist!.Data.Select(v => -v).ToArray(), shape);
            Watershed.Flood(neg, components!, mask);
        });
        ImageBuffer<uint>? labels = null;
        Time("InstanceLabeler 3-level", () => labels = new InstanceLabeler().Label(map));
        Time("InstanceLabeler semantic (distance watershed)", () => new InstanceLabeler(new InstanceLabelOptions { Mode = InstanceLabelMode.Semantic }).Label(map));
        Time("fill holes per object (3-level labels)", () => HoleFilling.FillPerObject(labels!));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{height}x{width}: {labels!.Data.Max()} objects"));
        return times;

        void Time(string name, Action action)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[name] = sw.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-50} {sw.Elapsed.TotalSeconds,8:F2} s"));
        }
    }

    /// <summary>Touching disks of radius 8-16 coded as 3-level maps (ring where the normalised distance is under 0.5).</summary>
    internal static ImageBuffer<float> SyntheticMap(ImageShape shape, int seed, out ImageBuffer<bool> mask)
    {
        var rng = new Random(seed);
        var map = new float[shape.Length];
        Array.Fill(map, -1f);
        var m = new bool[shape.Length];
        int step = 22;
        for (int cy = 10; cy < shape.Height; cy += step)
        {
            for (int cx = 10; cx < shape.Width; cx += step)
            {
                double r = 8 + rng.NextDouble() * 8;
                double y0 = cy + rng.NextDouble() * 4 - 2, x0 = cx + rng.NextDouble() * 4 - 2;
                if (rng.NextDouble() < 0.15)
                    continue;
                for (int y = (int)Math.Max(0, y0 - r); y <= Math.Min(shape.Height - 1, y0 + r); y++)
                {
                    for (int x = (int)Math.Max(0, x0 - r); x <= Math.Min(shape.Width - 1, x0 + r); x++)
                    {
                        double d = Math.Sqrt((y - y0) * (y - y0) + (x - x0) * (x - x0));
                        if (d > r)
                            continue;
                        int i = y * shape.Width + x;
                        float v = (r - d) / r < 0.5 ? 0f : 1f;
                        if (v > map[i])
                            map[i] = v;
                        m[i] = true;
                    }
                }
            }
        }

        mask = new ImageBuffer<bool>(m, shape);
        return new ImageBuffer<float>(map, shape);
    }
}
