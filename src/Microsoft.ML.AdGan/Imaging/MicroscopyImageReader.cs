using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Reads PNG, TIFF (uncompressed, LZW, Deflate, PackBits; multi-page as a volume), JPEG and BMP files, 8, 16 or 32 bits per
/// sample, greyscale or multi-channel, into raw (not normalised) single-channel float images with their physical pixel size.
/// A file is never silently wrong: one whose data runs short (truncated strips, tiles, chunks or scans), one larger than
/// <see cref="MicroscopyReadOptions.MaxPixels"/> (checked from the header, before pixels are allocated) and one with NaN or
/// infinite pixels (unless <see cref="MicroscopyReadOptions.NonFinite"/> replaces them) is a <see cref="MicroscopyImageException"/>.
/// </summary>
public static class MicroscopyImageReader
{
    private static readonly string[] Extensions = { ".bmp", ".jpeg", ".jpg", ".png", ".tif", ".tiff" };

    /// <summary>File extensions (lower case, with the dot) that <see cref="ReadFolder"/> and <see cref="ListFiles"/> pick up.</summary>
    public static IReadOnlyList<string> SupportedExtensions => Extensions;

    /// <summary>True when the path's extension is one of <see cref="SupportedExtensions"/> (case-insensitive).</summary>
    public static bool IsSupported(string path)
        => Array.IndexOf(Extensions, System.IO.Path.GetExtension(path).ToLowerInvariant()) >= 0;

    /// <summary>Reads one file as raw intensities (Z, Y, X); throws <see cref="MicroscopyImageException"/> naming the file when it cannot.</summary>
    public static ImageBuffer<float> Read(string path, MicroscopyReadOptions? options = null) => ReadImage(path, options).Image;

    /// <summary>Reads one file with its source bit depth and channel count (needed to normalise 8-bit and 16-bit data right).</summary>
    public static MicroscopyImage ReadImage(string path, MicroscopyReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= MicroscopyReadOptions.Default;
        options.Validate();
        if (!File.Exists(path))
            throw new MicroscopyImageException(path, Directory.Exists(path) ? "is a directory, not an image file." : "file not found.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MicroscopyImageException(path, "cannot be opened: " + ex.Message, ex);
        }

        if (bytes.Length == 0)
            throw new MicroscopyImageException(path, "the file is empty (0 bytes).");
        return Decode(path, bytes, options);
    }

    /// <summary>Reads an image held in memory (a request body, say) as raw intensities; errors name <paramref name="name"/>.</summary>
    public static ImageBuffer<float> Read(Stream stream, string name, MicroscopyReadOptions? options = null) => ReadImage(stream, name, options).Image;

    /// <summary>
    /// Reads an image from a stream (read to its end) with its source bit depth and channel count. Throws
    /// <see cref="MicroscopyImageException"/> naming <paramref name="name"/> and the reason for empty, unreadable or undecodable data.
    /// </summary>
    public static MicroscopyImage ReadImage(Stream stream, string name, MicroscopyReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] bytes;
        try
        {
            if (stream is MemoryStream memory && memory.Position == 0)
            {
                bytes = memory.ToArray();
            }
            else
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            throw new MicroscopyImageException(name, "cannot be read: " + ex.Message, ex);
        }

        return ReadImage(bytes, name, options);
    }

    /// <summary>Reads an image from its encoded bytes (PNG, TIFF, JPEG, BMP); errors name <paramref name="name"/> and the reason.</summary>
    public static MicroscopyImage ReadImage(byte[] bytes, string name, MicroscopyReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= MicroscopyReadOptions.Default;
        options.Validate();
        if (bytes.Length == 0)
            throw new MicroscopyImageException(name, "the image is empty (0 bytes).");
        return Decode(name, bytes, options);
    }

    /// <summary>
    /// Decodes checked, non-empty bytes and applies the non-finite pixel policy; any failure becomes a
    /// <see cref="MicroscopyImageException"/> naming the source.
    /// </summary>
    private static MicroscopyImage Decode(string path, byte[] bytes, MicroscopyReadOptions options)
    {
        MicroscopyImage read;
        try
        {
            read = TiffDirectory.LooksLikeTiff(bytes) ? ReadTiff(path, bytes, options) : ReadOther(path, bytes, options);
        }
        catch (Exception ex) when (ex is not MicroscopyImageException and not OutOfMemoryException)
        {
            throw new MicroscopyImageException(path, $"corrupt, truncated or unsupported image ({ex.GetType().Name}: {ex.Message})", ex);
        }

        if (!read.IsFloatingPoint || NonFinitePixels.Check(read.Image, path, options.NonFinite) is not { } warning)
            return read;
        return new MicroscopyImage(path, read.Image, read.BitsPerSample, read.IsFloatingPoint, read.Channels, read.Format, new[] { warning });
    }

    /// <summary>The supported image files of a folder, sorted by ordinal path so every run sees the same order.</summary>
    public static IReadOnlyList<string> ListFiles(string directory, bool recursive = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        var files = Directory.EnumerateFiles(directory, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(IsSupported)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Reads every supported file of a folder in <see cref="ListFiles"/> order. Any unreadable file makes it throw a
    /// <see cref="MicroscopyImageException"/> that lists every failing file and reason; a folder without images also throws.
    /// </summary>
    public static IReadOnlyList<MicroscopyImage> ReadFolder(string directory, MicroscopyReadOptions? options = null, bool recursive = false)
    {
        var files = ListFiles(directory, recursive);
        if (files.Count == 0)
            throw new MicroscopyImageException(directory, $"the folder holds no image file ({string.Join(", ", Extensions)}).");
        var images = new List<MicroscopyImage>(files.Count);
        var failures = new List<MicroscopyImageException>();
        foreach (var file in files)
        {
            try
            {
                images.Add(ReadImage(file, options));
            }
            catch (MicroscopyImageException ex)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
            throw new MicroscopyImageException(directory,
                $"{failures.Count} of {files.Count} files could not be read: " + string.Join("; ", failures.Select(f => f.Message)),
                new AggregateException(failures));
        return images;
    }

    private static MicroscopyImage ReadOther(string path, byte[] bytes, MicroscopyReadOptions options)
    {
        var format = Image.DetectFormat(bytes);
        if (format is null)
        {
            string extension = System.IO.Path.GetExtension(path);
            throw new MicroscopyImageException(path, extension.Length > 0
                ? $"unsupported or unrecognised file format (extension '{extension}'; supported: PNG, TIFF, JPEG, BMP)."
                : "unsupported or unrecognised image format (supported: PNG, TIFF, JPEG, BMP).");
        }
        switch (format.Name)
        {
            case "PNG": PngIntegrity.Check(path, bytes, options); break;
            case "JPEG": JpegIntegrity.Check(path, bytes, options); break;
            case "BMP": BmpIntegrity.Check(path, bytes, options); break;
            default: throw new MicroscopyImageException(path, $"unsupported file format {format.Name} (supported: PNG, TIFF, JPEG, BMP).");
        }

        var info = Image.Identify(bytes) ?? throw new MicroscopyImageException(path, "the image header cannot be read.");
        int bits = 8, channels;
        Image image;
        if (format.Name == "PNG")
        {
            var png = info.Metadata.GetPngMetadata();
            bits = png.BitDepth == PngBitDepth.Bit16 ? 16 : 8;
            channels = png.ColorType switch
            {
                PngColorType.Grayscale => 1,
                PngColorType.GrayscaleWithAlpha => 2,
                PngColorType.Rgb or PngColorType.Palette => 3,
                _ => 4,
            };
            image = (channels, bits) switch
            {
                (1, 16) => Image.Load<L16>(bytes),
                (1, _) => Image.Load<L8>(bytes),
                (_, 16) => Image.Load<Rgba64>(bytes),
                _ => Image.Load<Rgba32>(bytes),
            };
        }
        else
        {
            channels = info.PixelType.BitsPerPixel switch { <= 8 => 1, <= 24 => 3, _ => 4 };
            image = Image.Load<Rgba32>(bytes);
        }

        using (image)
        {
            int ch = ChannelIndex(path, options, channels);
            var shape = ImageShape.Of2D(image.Height, image.Width);
            var data = new float[shape.Length];
            Extract(image, 0, data, ch, channels);
            var size = PhysicalSizeParser.FromResolution(image.Metadata.HorizontalResolution, image.Metadata.VerticalResolution, image.Metadata.ResolutionUnits);
            return new MicroscopyImage(path, new ImageBuffer<float>(data, shape, size), bits, false, channels, format.Name);
        }
    }

    private static MicroscopyImage ReadTiff(string path, byte[] bytes, MicroscopyReadOptions options)
    {
        var all = TiffDirectory.ReadAll(path, bytes);
        // Reduced-resolution pages (thumbnails, pyramid levels) are not Z slices.
        var pageIndex = Enumerable.Range(0, all.Count).Where(i => (all[i].NewSubfileType & 1) == 0).ToArray();
        if (pageIndex.Length == 0)
            pageIndex = new[] { 0 };
        var first = all[pageIndex[0]];
        if (first.Width <= 0 || first.Height <= 0)
            throw new MicroscopyImageException(path, $"the TIFF page has an invalid size {first.Height}x{first.Width}.");
        foreach (int i in pageIndex)
        {
            var p = all[i];
            if (p.Width != first.Width || p.Height != first.Height || p.BitsPerSample != first.BitsPerSample || p.SamplesPerPixel != first.SamplesPerPixel)
                throw new MicroscopyImageException(path, $"TIFF page {i} ({p.Height}x{p.Width}, {p.BitsPerSample} bits x {p.SamplesPerPixel}) differs from page 0 ({first.Height}x{first.Width}, {first.BitsPerSample} bits x {first.SamplesPerPixel}); pages of a volume must match.");
        }

        var imageJ = PhysicalSizeParser.ParseImageJ(first.ImageDescription);
        int hyperChannels = 1;
        if (imageJ is not null && first.SamplesPerPixel == 1 && imageJ.TryGetValue("channels", out var c) && int.TryParse(c, out var cc) && cc > 1)
        {
            if (pageIndex.Length % cc != 0)
                throw new MicroscopyImageException(path, $"the ImageJ description says channels={cc} but the file has {pageIndex.Length} pages.");
            hyperChannels = cc;
        }

        int channels = hyperChannels > 1 ? hyperChannels : first.SamplesPerPixel;
        bool palette = first.Photometric == 3;
        if (palette)
            channels = 3;
        int ch = ChannelIndex(path, options, channels);
        int slices = options.FirstPageOnly ? 1 : pageIndex.Length / hyperChannels;
        int usedPages = slices * hyperChannels;
        bool isFloat = first.SampleFormat == 3, wide = first.BitsPerSample == 32 || isFloat;
        // 32-bit pages are decoded here page by page; ImageSharp decodes the first page, or every page of a stack.
        var decodedPages = wide ? pageIndex.Take(usedPages).ToArray() : usedPages > 1 ? Enumerable.Range(0, all.Count).ToArray() : new[] { 0 };
        PixelBudget.Check(path, options, decodedPages.Aggregate(Int128.Zero, (sum, i) => sum + (Int128)Math.Max(0, all[i].Width) * Math.Max(0, all[i].Height)),
            decodedPages.Length == 1 ? $"{first.Width} x {first.Height}" : $"{decodedPages.Length} pages of {first.Width} x {first.Height}");
        if (!wide)
        {
            foreach (int i in decodedPages)
                TiffIntegrity.Check(path, bytes, all[i], i);
        }

        long voxels = (long)slices * first.Height * first.Width;
        if (voxels > Array.MaxLength)
            throw new MicroscopyImageException(path, $"the volume ({slices}x{first.Height}x{first.Width}) is larger than one array can hold.");
        var shape = slices > 1 ? ImageShape.Of3D(slices, first.Height, first.Width) : ImageShape.Of2D(first.Height, first.Width);
        var data = new float[voxels];
        int pageLength = first.Height * first.Width;
        int bits;

        if (wide)
        {
            if (first.BitsPerSample != 32)
                throw new MicroscopyImageException(path, $"{first.BitsPerSample}-bit floating-point TIFF is not supported (32-bit is).");
            bits = 32;
            var tmp = new float[pageLength];
            for (int z = 0; z < slices; z++)
            {
                var target = data.AsSpan(z * pageLength, pageLength);
                if (hyperChannels == 1)
                {
                    Decode32(path, bytes, all[pageIndex[z]], pageIndex[z], ch, target);
                    continue;
                }

                int from = ch < 0 ? 0 : ch, to = ch < 0 ? hyperChannels : ch + 1;
                for (int k = from; k < to; k++)
                {
                    Decode32(path, bytes, all[pageIndex[z * hyperChannels + k]], pageIndex[z * hyperChannels + k], -1, tmp);
                    for (int i = 0; i < pageLength; i++)
                        target[i] += tmp[i] / (to - from);
                }
            }
        }
        else
        {
            bits = first.BitsPerSample <= 8 ? 8 : 16;
            var decoder = new TiffDecoder { DecodingMode = usedPages > 1 ? FrameDecodingMode.All : FrameDecodingMode.First };
            int samples = palette ? 3 : first.SamplesPerPixel;
            var checkedBytes = TiffIntegrity.WithRowsPerStripWithinPages(bytes, all);
            using Image image = (samples, bits) switch
            {
                (1, 8) => Image.Load<L8>(Configuration.Default, checkedBytes, decoder),
                (1, _) => Image.Load<L16>(Configuration.Default, checkedBytes, decoder),
                (_, 8) => Image.Load<Rgba32>(Configuration.Default, checkedBytes, decoder),
                _ => Image.Load<Rgba64>(Configuration.Default, checkedBytes, decoder),
            };
            if (usedPages > 1 && image.Frames.Count != all.Count)
                throw new MicroscopyImageException(path, $"the decoder returned {image.Frames.Count} pages but the file lists {all.Count}.");
            var tmp = hyperChannels > 1 ? new float[pageLength] : null;
            for (int z = 0; z < slices; z++)
            {
                var target = data.AsSpan(z * pageLength, pageLength);
                if (tmp is null)
                {
                    Extract(image, usedPages > 1 ? pageIndex[z] : 0, target, ch, samples);
                    continue;
                }

                int from = ch < 0 ? 0 : ch, to = ch < 0 ? hyperChannels : ch + 1;
                for (int k = from; k < to; k++)
                {
                    Extract(image, pageIndex[z * hyperChannels + k], tmp, 0, 1);
                    for (int i = 0; i < pageLength; i++)
                        target[i] += tmp[i] / (to - from);
                }
            }
        }

        var size = PhysicalSizeParser.FromTiff(first);
        if (size is { } s && !shape.Is3D)
            size = s with { Z = 0 };
        return new MicroscopyImage(path, new ImageBuffer<float>(data, shape, size), bits, isFloat, channels, "TIFF");
    }

    /// <summary>The channel to extract: -1 to average colour channels, or the checked index.</summary>
    private static int ChannelIndex(string path, MicroscopyReadOptions options, int channels)
    {
        if (options.Channel is not { } c)
            return -1;
        if (c >= channels)
            throw new MicroscopyImageException(path, $"channel {c} was requested but the image has {channels} channel(s) (indices 0 to {channels - 1}).");
        return c;
    }

    private static void Extract(Image image, int frame, Span<float> target, int channel, int channels)
    {
        switch (image)
        {
            case Image<L8> l8: Copy(l8.Frames[frame], target, p => p.PackedValue); break;
            case Image<L16> l16: Copy(l16.Frames[frame], target, p => p.PackedValue); break;
            case Image<Rgba32> rgba:
                Copy(rgba.Frames[frame], target, Selector<Rgba32>(channel, channels, p => p.R, p => p.G, p => p.B, p => p.A));
                break;
            case Image<Rgba64> rgba:
                Copy(rgba.Frames[frame], target, Selector<Rgba64>(channel, channels, p => p.R, p => p.G, p => p.B, p => p.A));
                break;
            default: throw new NotSupportedException($"pixel type {image.GetType().Name}");
        }
    }

    private static Func<T, float> Selector<T>(int channel, int channels, Func<T, float> r, Func<T, float> g, Func<T, float> b, Func<T, float> a)
    {
        if (channels == 2)
            return channel == 1 ? a : r; // grey + alpha decodes as R = G = B = grey
        return channel switch
        {
            0 => r,
            1 => g,
            2 => b,
            3 => a,
            _ => channels == 1 ? r : p => (r(p) + g(p) + b(p)) / 3f,
        };
    }

    private static void Copy<T>(ImageFrame<T> frame, Span<float> target, Func<T, float> select) where T : unmanaged, IPixel<T>
    {
        int w = frame.Width;
        for (int y = 0; y < frame.Height; y++)
        {
            var row = frame.DangerousGetPixelRowMemory(y).Span;
            var dst = target.Slice(y * w, w);
            for (int x = 0; x < w; x++)
                dst[x] = select(row[x]);
        }
    }

    /// <summary>Decodes one 32-bit (unsigned, signed or float) strip-organised page, uncompressed or Deflate, picking or averaging samples.</summary>
    private static void Decode32(string path, byte[] bytes, TiffDirectory page, int pageNumber, int channel, Span<float> target)
    {
        if (page.IsTiled)
            throw new MicroscopyImageException(path, "tiled 32-bit TIFF is not supported.");
        if (page.Compression is not (1 or 8 or 32946))
            throw new MicroscopyImageException(path, $"32-bit TIFF with compression {page.Compression} is not supported (uncompressed or Deflate are).");
        if (page.Predictor != 1 || page.PlanarConfiguration != 1)
            throw new MicroscopyImageException(path, "32-bit TIFF with a predictor or planar samples is not supported.");
        TiffIntegrity.CheckRanges(path, bytes, page, pageNumber);
        int spp = page.SamplesPerPixel;
        long needed = (long)page.Width * page.Height * spp * 4;
        using var raw = new MemoryStream();
        for (int s = 0; s < page.StripOffsets.Length; s++)
        {
            long off = page.StripOffsets[s], n = page.StripByteCounts[s];
            if (page.Compression == 1)
            {
                raw.Write(bytes, (int)off, (int)n);
                continue;
            }

            using var z = new ZLibStream(new MemoryStream(bytes, (int)off, (int)n), CompressionMode.Decompress);
            z.CopyTo(raw);
        }

        if (raw.Length < needed)
            throw new MicroscopyImageException(path, $"truncated: page {pageNumber} holds {raw.Length} bytes of pixel data, {needed} needed.");
        var buffer = raw.GetBuffer().AsSpan(0, (int)needed);
        bool little = bytes[0] == 'I';
        int from = channel < 0 ? 0 : channel, to = channel < 0 ? Math.Min(spp, 3) : channel + 1;
        for (int i = 0; i < target.Length; i++)
        {
            float sum = 0;
            for (int k = from; k < to; k++)
            {
                var b = buffer.Slice((i * spp + k) * 4, 4);
                uint u = little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
                sum += page.SampleFormat switch
                {
                    3 => BitConverter.UInt32BitsToSingle(u),
                    2 => (int)u,
                    _ => u,
                };
            }

            target[i] = sum / (to - from);
        }
    }
}
