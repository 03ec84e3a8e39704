using System.Globalization;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>Line plot of training losses against iterations (the rows of <see cref="Training.AdGanTrainer.LossHistory"/>).</summary>
internal static class LossCurvePlot
{
    private const float Left = 64, Right = 150, Top = 40, Bottom = 48;

    /// <summary>PNG of the losses; each row is [iteration, loss 1, loss 2, ...]. An empty history gives an empty frame.</summary>
    public static byte[] RenderPng(IReadOnlyList<double[]> history, LossCurvePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new LossCurvePlotOptions();
        options.Validate();
        using var bitmap = Drawing.NewBitmap(options.Width, options.Height, SKColors.White);
        using (var canvas = new SKCanvas(bitmap))
            Draw(canvas, history, options);
        return Drawing.EncodePng(bitmap);
    }

    /// <summary>Writes the plot PNG to <paramref name="path"/> (its folder is created).</summary>
    public static void Save(string path, IReadOnlyList<double[]> history, LossCurvePlotOptions? options = null) =>
        Drawing.WriteFile(path, RenderPng(history, options));

    /// <summary>About <paramref name="count"/> round tick values from at or below <paramref name="min"/> to at or above <paramref name="max"/>.</summary>
    public static double[] NiceTicks(double min, double max, int count = 5)
    {
        if (!(max > min))
            max = min + 1;
        double raw = (max - min) / Math.Max(1, count);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 2.5, 5.0, 10.0 }.Select(f => f * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        long first = (long)Math.Floor(min / step + 1e-9), last = (long)Math.Ceiling(max / step - 1e-9);
        for (long k = first; k <= last; k++)
            ticks.Add(k * step);
        return ticks.ToArray();
    }

    private static void Draw(SKCanvas canvas, IReadOnlyList<double[]> history, LossCurvePlotOptions o)
    {
        float plotW = o.Width - Left - Right, plotH = o.Height - Top - Bottom;
        var rows = history.Where(r => r is { Length: > 1 } && double.IsFinite(r[0])).ToList();
        int series = rows.Count == 0 ? 0 : rows.Max(r => r.Length) - 1;

        double xMin = rows.Count == 0 ? 0 : rows.Min(r => r[0]), xMax = rows.Count == 0 ? 1 : rows.Max(r => r[0]);
        if (xMax <= xMin)
            xMax = xMin + 1;
        var values = rows.SelectMany(r => r.Skip(1)).Where(double.IsFinite).ToList();
        double yMin = Math.Min(0, values.Count == 0 ? 0 : values.Min()), yMax = values.Count == 0 ? 1 : values.Max();
        if (yMax <= yMin)
            yMax = yMin + 1;
        var xTicks = NiceTicks(xMin, xMax, 6);
        var yTicks = NiceTicks(yMin, yMax, 5);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[^1]);
        float X(double v) => Left + (float)((v - xMin) / (xMax - xMin)) * plotW;
        float Y(double v) => Top + plotH - (float)((v - yMin) / (yMax - yMin)) * plotH;

        using var grid = Drawing.LinePaint(new SKColor(225, 225, 225), 1);
        using var axis = Drawing.LinePaint(SKColors.Black, 1.2f);
        using var tickText = Drawing.TextPaint(12, new SKColor(60, 60, 60), SKTextAlign.Center);
        using var tickTextRight = Drawing.TextPaint(12, new SKColor(60, 60, 60), SKTextAlign.Right);
        foreach (double t in xTicks.Where(t => t >= xMin && t <= xMax))
        {
            canvas.DrawLine(X(t), Top, X(t), Top + plotH, grid);
            canvas.DrawText(Format(t), X(t), Top + plotH + 18, tickText);
        }
        foreach (double t in yTicks)
        {
            canvas.DrawLine(Left, Y(t), Left + plotW, Y(t), grid);
            canvas.DrawText(Format(t), Left - 8, Y(t) + 4, tickTextRight);
        }
        canvas.DrawRect(Left, Top, plotW, plotH, axis);

        using var title = Drawing.TextPaint(16, SKColors.Black, SKTextAlign.Center);
        canvas.DrawText(o.Title, Left + plotW / 2, 24, title);
        using var label = Drawing.TextPaint(13, SKColors.Black, SKTextAlign.Center);
        canvas.DrawText("iteration", Left + plotW / 2, o.Height - 10, label);
        canvas.Save();
        canvas.RotateDegrees(-90, 16, Top + plotH / 2);
        canvas.DrawText("loss", 16, Top + plotH / 2 + 4, label);
        canvas.Restore();

        using var legendText = Drawing.TextPaint(12, SKColors.Black);
        for (int s = 0; s < series; s++)
        {
            var color = PlotColor.Series[s % PlotColor.Series.Count].ToSk();
            using var line = Drawing.LinePaint(color, 2);
            using var path = new SKPath();
            bool open = false;
            foreach (var r in rows)
            {
                if (s + 1 >= r.Length || !double.IsFinite(r[s + 1]))
                {
                    open = false;
                    continue;
                }
                var p = new SKPoint(X(r[0]), Y(r[s + 1]));
                if (open)
                    path.LineTo(p);
                else
                    path.MoveTo(p);
                open = true;
            }
            canvas.Save();
            canvas.ClipRect(new SKRect(Left, Top, Left + plotW, Top + plotH));
            canvas.DrawPath(path, line);
            if (rows.Count == 1)
            {
                using var dot = new SKPaint { Color = color, IsAntialias = true };
                canvas.DrawCircle(X(rows[0][0]), Y(rows[0][s + 1]), 3, dot);
            }
            canvas.Restore();

            float ly = Top + 14 + s * 20;
            canvas.DrawLine(Left + plotW + 12, ly - 4, Left + plotW + 36, ly - 4, line);
            string name = s < o.SeriesNames.Count ? o.SeriesNames[s] : $"series {s + 1}";
            canvas.DrawText(name, Left + plotW + 42, ly, legendText);
        }
        if (rows.Count == 0)
        {
            using var empty = Drawing.TextPaint(14, new SKColor(120, 120, 120), SKTextAlign.Center);
            canvas.DrawText("no losses recorded yet", Left + plotW / 2, Top + plotH / 2, empty);
        }
    }

    private static string Format(double v) => FormatNonZero(v == 0 ? 0 : v); // no "-0"

    private static string FormatNonZero(double v) =>
        Math.Abs(v) >= 10000 ? v.ToString("0.#e0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
