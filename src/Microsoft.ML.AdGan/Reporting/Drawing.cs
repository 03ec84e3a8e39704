using SkiaSharp;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>Shared SkiaSharp plumbing: the bundled typeface (no system fonts needed), paints and PNG output.</summary>
internal static class Drawing
{
    private const string FontResource = "Microsoft.ML.AdGan.Reporting.DejaVuSans.ttf";
    private static readonly Lazy<SKTypeface> BundledTypeface = new(LoadTypeface, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>DejaVu Sans (ASCII and Latin-1 subset) from the assembly's resources.</summary>
    public static SKTypeface Typeface => BundledTypeface.Value;

    public static SKColor ToSk(this PlotColor c) => new(c.R, c.G, c.B);

    public static SKPaint TextPaint(float size, SKColor? color = null, SKTextAlign align = SKTextAlign.Left) => new()
    {
        Typeface = Typeface,
        TextSize = size,
        IsAntialias = true,
        Color = color ?? SKColors.Black,
        TextAlign = align,
    };

    public static SKPaint LinePaint(SKColor color, float width) => new()
    {
        Color = color,
        StrokeWidth = width,
        IsAntialias = true,
        Style = SKPaintStyle.Stroke,
        StrokeJoin = SKStrokeJoin.Round,
        StrokeCap = SKStrokeCap.Round,
    };

    /// <summary>PNG bytes of a bitmap.</summary>
    public static byte[] EncodePng(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}x{bitmap.Height} PNG.");
        return data.ToArray();
    }

    /// <summary>Writes PNG bytes to <paramref name="path"/>, creating its folder; errors name the file.</summary>
    public static void WriteFile(string path, byte[] png)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
                Directory.CreateDirectory(folder);
            File.WriteAllBytes(path, png);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Could not write the picture '{path}': {e.Message}", e);
        }
    }

    /// <summary>A bitmap in RGBA 8888 with unpremultiplied alpha, cleared to <paramref name="background"/>.</summary>
    public static SKBitmap NewBitmap(int width, int height, SKColor background)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(background);
        return bitmap;
    }

    private static SKTypeface LoadTypeface()
    {
        using var stream = typeof(Drawing).Assembly.GetManifestResourceStream(FontResource)
            ?? throw new InvalidOperationException($"The font resource '{FontResource}' is missing from {typeof(Drawing).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using var data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"SkiaSharp could not read the bundled font '{FontResource}'.");
    }
}
