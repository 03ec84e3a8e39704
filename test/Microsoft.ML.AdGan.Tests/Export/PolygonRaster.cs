namespace Microsoft.ML.AdGan.Tests.Export;

/// <summary>Fills rings by the even-odd rule, sampling pixel centres (x + 0.5, y + 0.5), as ImageJ and QuPath decide what a ROI covers.</summary>
internal static class PolygonRaster
{
    public static bool[] Fill(IReadOnlyList<(double[] X, double[] Y)> rings, int height, int width)
    {
        var inside = new bool[height * width];
        for (int y = 0; y < height; y++)
        {
            double py = y + 0.5;
            for (int x = 0; x < width; x++)
            {
                double px = x + 0.5;
                bool odd = false;
                foreach (var (xs, ys) in rings)
                {
                    for (int i = 0, j = xs.Length - 1; i < xs.Length; j = i++)
                    {
                        if ((ys[i] > py) != (ys[j] > py) && px < (xs[j] - xs[i]) * (py - ys[i]) / (ys[j] - ys[i]) + xs[i])
                            odd = !odd;
                    }
                }

                inside[y * width + x] = odd;
            }
        }

        return inside;
    }
}
