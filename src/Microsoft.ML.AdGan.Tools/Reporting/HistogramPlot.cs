using System.Globalization;
using Microsoft.ML.AdGan.Reporting;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Tools.Reporting;

/// <summary>A histogram PNG with round bin edges, counts on the y axis and the median marked.</summary>
internal static class HistogramPlot
{
    private const float Left = 58, Right = 18, Top = 40, Bottom = 50;

    /// <summary>PNG of the values' histogram (about <paramref name="bins"/> bins); an empty list gives an empty frame.</summary>
    public static byte[] RenderPng(IReadOnlyList<double> values, string title, string xLabel, int width = 560, int height = 300, int bins = 20)
    {
        using var bitmap = Drawing.NewBitmap(width, height, SKColors.White);
        using (var canvas = new SKCanvas(bitmap))
            Draw(canvas, values.Where(double.IsFinite).ToArray(), title, xLabel, width, height, bins);
        return Drawing.EncodePng(bitmap);
    }

    /// <summary>Bin edges (round numbers from at most the smallest to above the largest) and the count in each bin.</summary>
    internal static (double[] Edges, int[] Counts) Bin(IReadOnlyList<double> values, int bins)
    {
        double min = values.Min(), max = values.Max();
        if (max - min < 1)
            max = min + 1;
        var edges = LossCurvePlot.NiceTicks(min, max, bins);
        if (edges[^1] <= max)
            edges = edges.Append(edges[^1] + (edges[1] - edges[0])).ToArray();
        var counts = new int[edges.Length - 1];
        double step = edges[1] - edges[0];
        foreach (double v in values)
            counts[Math.Clamp((int)Math.Floor((v - edges[0]) / step), 0, counts.Length - 1)]++;
        return (edges, counts);
    }

    private static void Draw(SKCanvas canvas, double[] values, string title, string xLabel, int width, int height, int bins)
    {
        float plotW = width - Left - Right, plotH = height - Top - Bottom;
        using var titlePaint = Drawing.TextPaint(15, SKColors.Black, SKTextAlign.Center);
        canvas.DrawText(title, Left + plotW / 2, 22, titlePaint);
        using var label = Drawing.TextPaint(12, SKColors.Black, SKTextAlign.Center);
        canvas.DrawText(xLabel, Left + plotW / 2, height - 10, label);
        using var axis = Drawing.LinePaint(SKColors.Black, 1.2f);
        if (values.Length == 0)
        {
            canvas.DrawRect(Left, Top, plotW, plotH, axis);
            using var empty = Drawing.TextPaint(13, new SKColor(120, 120, 120), SKTextAlign.Center);
            canvas.DrawText("nothing to show", Left + plotW / 2, Top + plotH / 2, empty);
            return;
        }

        var (edges, counts) = Bin(values, bins);
        double x0 = edges[0], x1 = edges[^1];
        var yTicks = LossCurvePlot.NiceTicks(0, Math.Max(1, counts.Max()), 4);
        double yMax = yTicks[^1];
        float X(double v) => Left + (float)((v - x0) / (x1 - x0)) * plotW;
        float Y(double v) => Top + plotH - (float)(v / yMax) * plotH;

        using var grid = Drawing.LinePaint(new SKColor(225, 225, 225), 1);
        using var tickText = Drawing.TextPaint(11, new SKColor(60, 60, 60), SKTextAlign.Center);
        using var tickTextRight = Drawing.TextPaint(11, new SKColor(60, 60, 60), SKTextAlign.Right);
        foreach (double t in yTicks)
        {
            canvas.DrawLine(Left, Y(t), Left + plotW, Y(t), grid);
            canvas.DrawText(Format(t), Left - 6, Y(t) + 4, tickTextRight);
        }

        using var bar = new SKPaint { Color = PlotColor.Series[0].ToSk(), IsAntialias = false, Style = SKPaintStyle.Fill };
        using var barEdge = Drawing.LinePaint(SKColors.White, 1);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
                continue;
            var rect = new SKRect(X(edges[i]), Y(counts[i]), X(edges[i + 1]), Y(0));
            canvas.DrawRect(rect, bar);
            canvas.DrawRect(rect, barEdge);
        }

        int every = Math.Max(1, (int)Math.Ceiling(edges.Length / 8.0));
        for (int i = 0; i < edges.Length; i += every)
            canvas.DrawText(Format(edges[i]), X(edges[i]), Top + plotH + 16, tickText);
        canvas.DrawRect(Left, Top, plotW, plotH, axis);

        var sorted = values.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        using var medianPaint = Drawing.LinePaint(PlotColor.Series[3].ToSk(), 2);
        medianPaint.PathEffect = SKPathEffect.CreateDash(new[] { 6f, 4f }, 0);
        canvas.DrawLine(X(median), Top, X(median), Top + plotH, medianPaint);
        using var medianText = Drawing.TextPaint(11, PlotColor.Series[3].ToSk(), X(median) > Left + plotW * 0.7f ? SKTextAlign.Right : SKTextAlign.Left);
        float dx = medianText.TextAlign == SKTextAlign.Right ? -4 : 4;
        canvas.DrawText($"median {Format(median)} (n = {values.Length})", X(median) + dx, Top + 14, medianText);
    }

    private static string Format(double v) =>
        Math.Abs(v) >= 10000 ? v.ToString("0.#e0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
}
