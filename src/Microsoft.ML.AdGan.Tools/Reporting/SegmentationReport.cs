using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Reporting;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Tools.Reporting;

/// <summary>
/// An HTML report of a segmented folder, built image by image: per image a thumbnail of the overlay (contours coloured per
/// nucleus, linked to the full-size overlay) and the count; for the folder the count and size distributions, the images a
/// rule flagged (no nuclei, many more nuclei than the folder's median, nuclei far larger than the folder's typical image or
/// than the image's other nuclei, a foreground that disagrees with the image's own Otsu threshold) with the rule, the settings and the timings. Pictures go
/// to files beside the page as each image is added, so memory does not grow with the folder; large folders get several pages.
/// </summary>
public sealed class SegmentationReport
{
    /// <summary>Fewest nuclei in an image for its large ones to count as outliers of its own sizes.</summary>
    private const int MinNucleiForOutliers = 10;

    private readonly List<ReportImage> _images = new();
    private readonly string _folder;

    /// <summary>Starts a report in <paramref name="folder"/> (created; index.html and its pictures are written there).</summary>
    public SegmentationReport(string folder, SegmentationReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Options = options ?? new SegmentationReportOptions();
        Options.Validate();
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Path.Combine(_folder, "thumbs"));
        if (Options.WriteFullOverlays)
            Directory.CreateDirectory(Path.Combine(_folder, "overlays"));
    }

    /// <summary>The options in use.</summary>
    public SegmentationReportOptions Options { get; }

    /// <summary>The images added so far, in order.</summary>
    public IReadOnlyList<ReportImage> Images => _images;

    /// <summary>
    /// Adds one image: its label map, the image it was segmented from (raw or normalised, same shape), the decoded map when
    /// the method made one (same shape; AD-GAN's map in [-1, 1]) and the time it took. Writes its pictures at once.
    /// </summary>
    public ReportImage Add(string name, ImageBuffer<uint> labels, ImageBuffer<float> image, ImageBuffer<float>? decodedMap = null, TimeSpan? elapsed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(image);
        if (labels.Shape != image.Shape)
            throw new ArgumentException($"Image '{name}': the label map is {labels.Shape} but the image is {image.Shape}.", nameof(labels));
        if (decodedMap is not null && decodedMap.Shape != image.Shape)
            throw new ArgumentException($"Image '{name}': the decoded map is {decodedMap.Shape} but the image is {image.Shape}.", nameof(decodedMap));
        var sizes = BoundingBoxes.Compute(labels.Data, labels.Shape).Values.Select(b => b.Size).ToArray();
        var size = labels.VoxelSize ?? image.VoxelSize;
        double? unit = size is { IsValid: true } v ? (labels.Shape.Is3D ? (v.Z > 0 && double.IsFinite(v.Z) ? v.X * v.Y * v.Z : null) : v.X * v.Y) : null;
        var (dice, source) = ForegroundAgreement(labels, image, decodedMap);
        string file = $"{_images.Count + 1:D5}-{SafeName(name)}.png";
        WritePictures(labels, image, file);
        var entry = new ReportImage(name, labels.Shape.Is3D, sizes, unit, dice, source, elapsed, "thumbs/" + file, Options.WriteFullOverlays ? "overlays/" + file : null);
        _images.Add(entry);
        return entry;
    }

    /// <summary>
    /// Flags the images and writes index.html (and page-2.html, ... for large folders) with <paramref name="settings"/> (shown
    /// as given) and the total time; returns the path of index.html.
    /// </summary>
    public string Write(IEnumerable<KeyValuePair<string, string>>? settings = null, TimeSpan? totalElapsed = null)
    {
        Flag();
        var stats = FolderStatistics.Of(_images);
        bool physical = _images.Count > 0 && _images.All(i => i.PhysicalUnit is not null);
        bool volumes = _images.Any(i => i.IsVolume);
        string sizeUnit = volumes ? (physical ? "µm³" : "voxels") : (physical ? "µm²" : "pixels");
        Directory.CreateDirectory(Path.Combine(_folder, "plots"));
        File.WriteAllBytes(Path.Combine(_folder, "plots", "counts.png"), HistogramPlot.RenderPng(_images.Select(i => (double)i.Count).ToList(), "Nuclei per image", "nuclei in an image"));
        var allSizes = _images.SelectMany(i => i.Sizes.Select(s => physical ? s * i.PhysicalUnit!.Value : s)).ToList();
        File.WriteAllBytes(Path.Combine(_folder, "plots", "sizes.png"), HistogramPlot.RenderPng(allSizes, volumes ? "Nucleus volumes" : "Nucleus areas", $"{(volumes ? "volume" : "area")} ({sizeUnit})"));

        int pages = Math.Max(1, (int)Math.Ceiling(_images.Count / (double)Options.ImagesPerPage));
        for (int page = 1; page <= pages; page++)
        {
            var html = new StringBuilder();
            Head(html, page == 1 ? Options.Title : $"{Options.Title}, page {page}");
            if (page == 1)
                Summary(html, stats, sizeUnit, physical, settings, totalElapsed);
            Gallery(html, page, pages);
            html.Append("</body></html>\n");
            File.WriteAllText(Path.Combine(_folder, PageFile(page)), html.ToString(), new UTF8Encoding(false));
        }

        return Path.Combine(_folder, PageFile(1));
    }

    /// <summary>The rules, applied to every image; the folder rules need <see cref="SegmentationReportOptions.MinImagesForFolderRules"/> images.</summary>
    private void Flag()
    {
        var o = Options;
        var stats = FolderStatistics.Of(_images);
        bool folderRules = _images.Count >= o.MinImagesForFolderRules;
        foreach (var image in _images)
        {
            var flags = new List<string>();
            if (image.Count == 0)
                flags.Add("no nuclei");
            if (folderRules && stats.MedianCount > 0 && image.Count > o.ManyNucleiFactor * stats.MedianCount)
                flags.Add(Invariant($"unusually many nuclei: {image.Count} > {o.ManyNucleiFactor:0.##} x the folder's median {stats.MedianCount:0.#}"));
            double ownMedian = Median(image.Sizes.Select(v => (double)v).ToList());
            string unit = image.IsVolume ? "voxels" : "pixels";
            if (folderRules && stats.MedianImageMedianSize > 0 && ownMedian > o.LargeNucleusFactor * stats.MedianImageMedianSize)
                flags.Add(Invariant($"unusually large nuclei: median size {ownMedian:0.#} {unit} > {o.LargeNucleusFactor:0.##} x the folder's typical {stats.MedianImageMedianSize:0.#}"));
            if (image.Count >= MinNucleiForOutliers)
            {
                int large = image.Sizes.Count(v => v > o.LargeNucleusFactor * ownMedian);
                if (large >= o.LargeNucleusShare * image.Count)
                    flags.Add(Invariant($"unusually large nuclei: {large} of {image.Count} over {o.LargeNucleusFactor:0.##} x the image's median size {ownMedian:0.#} {unit} (largest {image.Sizes.Max()})"));
            }

            if (image.ForegroundDice is double dice && dice < o.MinForegroundDice)
                flags.Add(Invariant($"{image.ForegroundSource} disagrees with the image's own Otsu threshold: foreground Dice {dice:0.00} < {o.MinForegroundDice:0.00}"));
            image.Flags = flags;
        }
    }

    private (double? Dice, string Source) ForegroundAgreement(ImageBuffer<uint> labels, ImageBuffer<float> image, ImageBuffer<float>? decoded)
    {
        string source = decoded is null ? "label foreground" : "decoded map";
        var threshold = ThresholdSegmentation.Foreground(image, Options.ThresholdBlurSigma);
        if (threshold is null)
            return (null, source);
        long both = 0, a = 0, b = 0;
        for (int i = 0; i < threshold.Data.Length; i++)
        {
            bool mine = decoded is null ? labels.Data[i] != 0 : decoded.Data[i] > Options.DecodedForegroundThreshold;
            bool theirs = threshold.Data[i];
            a += mine ? 1 : 0;
            b += theirs ? 1 : 0;
            both += mine && theirs ? 1 : 0;
        }

        return (a + b == 0 ? 1 : 2.0 * both / (a + b), source);
    }

    private void WritePictures(ImageBuffer<uint> labels, ImageBuffer<float> image, string file)
    {
        int longest = Math.Max(image.Shape.Height, image.Shape.Width);
        double shrink = Math.Max(1, longest / (double)Options.ThumbnailSize);
        var layers = NucleusOverlay.Layers.Of(image, labels);
        // Thicker contours in the thumbnail so that they survive the downscaling.
        using (var thick = NucleusOverlay.Render(layers, Math.Min(4, (int)(shrink / 2))))
        {
            int tw = Math.Max(1, (int)Math.Round(image.Shape.Width / shrink)), th = Math.Max(1, (int)Math.Round(image.Shape.Height / shrink));
            using var thumb = thick.Resize(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Unpremul), SKFilterQuality.Medium)
                ?? throw new InvalidOperationException($"SkiaSharp could not resize the overlay to {tw}x{th}.");
            Drawing.WriteFile(Path.Combine(_folder, "thumbs", file), FastPng(thumb));
        }

        if (Options.WriteFullOverlays)
        {
            using var full = NucleusOverlay.Render(layers, 0);
            Drawing.WriteFile(Path.Combine(_folder, "overlays", file), FastPng(full));
        }
    }

    /// <summary>PNG with light compression: several times faster than the default for full-size overlays, a fifth larger.</summary>
    private static byte[] FastPng(SKBitmap bitmap)
    {
        using var pixels = bitmap.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}x{bitmap.Height} PNG.");
        return data.ToArray();
    }

    private void Head(StringBuilder html, string title)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1400px}")
            .Append("h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}")
            .Append(".num{text-align:right}.plots img{margin-right:16px;border:1px solid #eee}.muted{color:#777;font-size:13px}")
            .Append(".grid{display:flex;flex-wrap:wrap;gap:12px}.card{width:").Append(Options.ThumbnailSize + 12).Append("px;border:2px solid #ddd;border-radius:6px;padding:6px;font-size:12px}")
            .Append(".card.flagged{border-color:#d62728;background:#fff5f5}.card img{display:block;max-width:100%;margin-bottom:4px}.card .name{font-weight:bold;word-break:break-all}")
            .Append(".flag{color:#b01010}.nav a{margin-right:8px}\n</style></head><body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n");
    }

    private void Summary(StringBuilder html, FolderStatistics stats, string sizeUnit, bool physical, IEnumerable<KeyValuePair<string, string>>? settings, TimeSpan? total)
    {
        var o = Options;
        int nuclei = _images.Sum(i => i.Count);
        var times = _images.Where(i => i.Elapsed is not null).Select(i => i.Elapsed!.Value).ToList();
        html.Append("<p class=\"muted\">").Append(Invariant($"{_images.Count} images, {nuclei} nuclei")).Append("</p>\n");
        html.Append("<h2>Collection</h2>\n<table>");
        Row(html, "images", _images.Count.ToString(CultureInfo.InvariantCulture));
        Row(html, "nuclei", nuclei.ToString(CultureInfo.InvariantCulture));
        if (_images.Count > 0)
        {
            Row(html, "nuclei per image (median, min - max)", Invariant($"{stats.MedianCount:0.#} ({_images.Min(i => i.Count)} - {_images.Max(i => i.Count)})"));
            Row(html, "median nucleus size", stats.MedianSize > 0 ? Invariant($"{stats.MedianSize:0.#} {(_images.Any(i => i.IsVolume) ? "voxels" : "pixels")}") : "-");
            if (physical)
                Row(html, $"median nucleus size ({sizeUnit})", Invariant($"{stats.MedianPhysicalSize:0.###}"));
        }

        Row(html, "flagged images", _images.Count(i => i.Flags.Count > 0).ToString(CultureInfo.InvariantCulture));
        html.Append("</table>\n<div class=\"plots\"><img src=\"plots/counts.png\" alt=\"histogram of nuclei per image\"><img src=\"plots/sizes.png\" alt=\"histogram of nucleus sizes\"></div>\n");

        html.Append("<h2>Flagged images</h2>\n");
        var flagged = _images.Select((image, index) => (image, index)).Where(p => p.image.Flags.Count > 0).ToList();
        if (flagged.Count == 0)
        {
            html.Append("<p>No image was flagged.</p>\n");
        }
        else
        {
            html.Append("<table><tr><th>image</th><th class=\"num\">nuclei</th><th>rules that flagged it</th></tr>\n");
            foreach (var (image, index) in flagged)
            {
                html.Append("<tr><td><a href=\"").Append(PageFile(index / o.ImagesPerPage + 1)).Append("#img").Append(index + 1).Append("\">").Append(Encode(image.Name))
                    .Append("</a></td><td class=\"num\">").Append(image.Count).Append("</td><td>")
                    .Append(string.Join("<br>", image.Flags.Select(Encode))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<p class=\"muted\">Rules: no nuclei; ")
            .Append(Invariant($"more than {o.ManyNucleiFactor:0.##} x the folder's median count, or a median nucleus size above {o.LargeNucleusFactor:0.##} x the typical image's (both with at least {o.MinImagesForFolderRules} images); "))
            .Append(Invariant($"at least {o.LargeNucleusShare * 100:0.#}% of an image's nuclei (of {MinNucleiForOutliers} or more) above {o.LargeNucleusFactor:0.##} x its median size; "))
            .Append(Invariant($"foreground Dice below {o.MinForegroundDice:0.00} between the decoded map (values above {o.DecodedForegroundThreshold:0.###}) or, without one, the labels, and the image's Otsu threshold after a Gaussian blur of sigma {o.ThresholdBlurSigma:0.##}."))
            .Append("</p>\n");

        html.Append("<h2>Settings and timings</h2>\n<table>");
        foreach (var (key, value) in settings ?? Array.Empty<KeyValuePair<string, string>>())
            Row(html, key, value);
        if (total is TimeSpan t)
            Row(html, "total time", Duration(t));
        if (times.Count > 0)
        {
            Row(html, "time per image (mean)", Duration(TimeSpan.FromTicks((long)times.Average(x => x.Ticks))));
            var slowest = _images.Where(i => i.Elapsed is not null).MaxBy(i => i.Elapsed!.Value)!;
            Row(html, "slowest image", $"{Encode(slowest.Name)} ({Duration(slowest.Elapsed!.Value)})", encode: false);
        }

        html.Append("</table>\n");
    }

    private void Gallery(StringBuilder html, int page, int pages)
    {
        int per = Options.ImagesPerPage;
        int first = (page - 1) * per, last = Math.Min(_images.Count, first + per);
        html.Append("<h2>Images").Append(pages > 1 ? Invariant($" {first + 1} - {last} of {_images.Count}") : string.Empty).Append("</h2>\n");
        if (pages > 1)
        {
            html.Append("<p class=\"nav\">pages: ");
            for (int p = 1; p <= pages; p++)
                html.Append(p == page ? $"<b>{p}</b> " : $"<a href=\"{PageFile(p)}\">{p}</a> ");
            html.Append("</p>\n");
        }

        html.Append("<div class=\"grid\">\n");
        for (int i = first; i < last; i++)
        {
            var image = _images[i];
            html.Append("<div class=\"card").Append(image.Flags.Count > 0 ? " flagged" : string.Empty).Append("\" id=\"img").Append(i + 1).Append("\">");
            string img = $"<img src=\"{Uri.EscapeDataString(image.Thumbnail).Replace("%2F", "/", StringComparison.Ordinal)}\" alt=\"overlay of {Encode(image.Name)}\" loading=\"lazy\">";
            html.Append(image.Overlay is null ? img : $"<a href=\"{Uri.EscapeDataString(image.Overlay).Replace("%2F", "/", StringComparison.Ordinal)}\">{img}</a>");
            html.Append("<div class=\"name\">").Append(Encode(image.Name)).Append("</div><div>").Append(image.Count).Append(image.Count == 1 ? " nucleus" : " nuclei");
            if (image.IsVolume)
                html.Append(" (volume; middle slice shown)");
            if (image.Elapsed is TimeSpan e)
                html.Append(", ").Append(Duration(e));
            if (image.ForegroundDice is double d)
                html.Append(Invariant($", foreground Dice {d:0.00}"));
            html.Append("</div>");
            foreach (var flag in image.Flags)
                html.Append("<div class=\"flag\">").Append(Encode(flag)).Append("</div>");
            html.Append("</div>\n");
        }

        html.Append("</div>\n");
    }

    private static void Row(StringBuilder html, string key, string value, bool encode = true)
        => html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(encode ? Encode(value) : value).Append("</td></tr>\n");

    private static string PageFile(int page) => page == 1 ? "index.html" : $"page-{page}.html";

    private static string Encode(string s) => WebUtility.HtmlEncode(s);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan t) => t.TotalSeconds < 60 ? Invariant($"{t.TotalSeconds:0.00} s") : t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>A file-name-safe version of an image name (letters, digits, '-', '_', '.').</summary>
    private static string SafeName(string name)
    {
        var sb = new StringBuilder();
        foreach (char c in Path.GetFileNameWithoutExtension(name))
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return sb.Length == 0 ? "image" : sb.ToString(0, Math.Min(sb.Length, 80));
    }

    /// <summary>Medians over the folder: nuclei per image and (pooled) nucleus size, in pixels and in physical units.</summary>
    private static double Median(List<double> values)
    {
        if (values.Count == 0)
            return 0;
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>
    /// Medians over the folder: nuclei per image, nucleus size pooled over all nuclei (pixels and physical units), and the
    /// typical image's median size (the median over images with nuclei), which one crowded image cannot sway.
    /// </summary>
    private sealed record FolderStatistics(double MedianCount, double MedianSize, double MedianPhysicalSize, double MedianImageMedianSize)
    {
        public static FolderStatistics Of(IReadOnlyList<ReportImage> images)
        {
            var counts = images.Select(i => (double)i.Count).ToList();
            var sizes = images.SelectMany(i => i.Sizes.Select(s => (double)s)).ToList();
            var physical = images.Where(i => i.PhysicalUnit is not null).SelectMany(i => i.Sizes.Select(s => s * i.PhysicalUnit!.Value)).ToList();
            var imageMedians = images.Where(i => i.Count > 0).Select(i => Median(i.Sizes.Select(s => (double)s).ToList())).ToList();
            return new FolderStatistics(Median(counts), Median(sizes), Median(physical), Median(imageMedians));
        }
    }
}
