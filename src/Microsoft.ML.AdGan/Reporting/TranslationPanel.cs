using Microsoft.ML.AdGan.Imaging;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>One captioned picture of a <see cref="TranslationPanel"/>: a 2D map in [-1, 1] (volumes show their middle slice).</summary>
/// <param name="Caption">Text above the picture.</param>
/// <param name="Image">Values in [-1, 1] (clamped).</param>
internal sealed record PanelTile(string Caption, ImageBuffer<float> Image);

/// <summary>A grid of captioned greyscale pictures, like the authors' training snapshots (image, reconstruction, segmentation, cycle; mask, ...).</summary>
internal static class TranslationPanel
{
    private const int Gap = 8, CaptionHeight = 20, TitleHeight = 28;

    /// <summary>PNG of the rows of tiles, each tile enlarged <paramref name="scale"/> times (nearest neighbour), with an optional title.</summary>
    public static byte[] RenderPng(IReadOnlyList<IReadOnlyList<PanelTile>> rows, int scale = 2, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (scale < 1 || scale > 16)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be between 1 and 16.");
        if (rows.Count == 0 || rows.All(r => r.Count == 0))
            throw new ArgumentException("A translation panel needs at least one tile.", nameof(rows));
        int tileW = rows.SelectMany(r => r).Max(t => t.Image.Shape.Width) * scale;
        int tileH = rows.SelectMany(r => r).Max(t => t.Image.Shape.Height) * scale;
        int columns = rows.Max(r => r.Count);
        tileW = Math.Max(tileW, 96);
        int top = string.IsNullOrEmpty(title) ? 0 : TitleHeight;
        int width = Gap + columns * (tileW + Gap);
        int height = top + Gap + rows.Count * (CaptionHeight + tileH + Gap);
        using var bitmap = Drawing.NewBitmap(width, height, SKColors.White);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var captionPaint = Drawing.TextPaint(13, SKColors.Black, SKTextAlign.Center);
            if (top > 0)
            {
                using var titlePaint = Drawing.TextPaint(15, SKColors.Black, SKTextAlign.Left);
                canvas.DrawText(title!, Gap, 20, titlePaint);
            }
            for (int r = 0; r < rows.Count; r++)
            {
                for (int c = 0; c < rows[r].Count; c++)
                {
                    var tile = rows[r][c];
                    int x0 = Gap + c * (tileW + Gap), y0 = top + Gap + r * (CaptionHeight + tileH + Gap);
                    canvas.DrawText(tile.Caption, x0 + tileW / 2f, y0 + 14, captionPaint);
                    using var picture = Tile(tile.Image);
                    var plane = OverlayRenderer.MiddleSlice(tile.Image).Shape;
                    var dest = SKRect.Create(x0 + (tileW - plane.Width * scale) / 2f, y0 + CaptionHeight, plane.Width * scale, plane.Height * scale);
                    using var paint = new SKPaint { FilterQuality = SKFilterQuality.None, IsAntialias = false };
                    canvas.DrawBitmap(picture, dest, paint);
                }
            }
        }
        return Drawing.EncodePng(bitmap);
    }

    /// <summary>Writes the panel PNG to <paramref name="path"/> (its folder is created).</summary>
    public static void Save(string path, IReadOnlyList<IReadOnlyList<PanelTile>> rows, int scale = 2, string? title = null) =>
        Drawing.WriteFile(path, RenderPng(rows, scale, title));

    private static SKBitmap Tile(ImageBuffer<float> image)
    {
        var grey = OverlayRenderer.Greyscale(image, (-1f, 1f));
        var rgba = new byte[grey.Length * 4];
        for (int i = 0; i < grey.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
            rgba[4 * i + 3] = 255;
        }
        var plane = OverlayRenderer.MiddleSlice(image).Shape;
        return OverlayRenderer.FromRgba(rgba, plane.Width, plane.Height);
    }
}
