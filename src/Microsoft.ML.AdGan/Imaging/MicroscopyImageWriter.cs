using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Writes images, masks and label maps as PNG (2D; 8 or 16-bit greyscale) or TIFF (2D or multi-page volume; 8, 16 or 32-bit).
/// The format follows the extension (.png, .tif, .tiff). Files are written to a temporary file first and then renamed, so a
/// reader never sees a half-written file.
/// </summary>
public static class MicroscopyImageWriter
{
    /// <summary>Writes a float image with an explicit scaling to 8 or 16-bit integers.</summary>
    public static void Write(string path, ImageBuffer<float> image, IntensityScaling scaling, MicroscopyWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(scaling);
        var data = image.Data;
        if (scaling.BitDepth == 8)
        {
            var bytes = new byte[data.Length];
            for (int i = 0; i < data.Length; i++)
                bytes[i] = (byte)scaling.Apply(data[i]);
            Write8(path, bytes, image.Shape, image.VoxelSize, options);
        }
        else
        {
            var words = new ushort[data.Length];
            for (int i = 0; i < data.Length; i++)
                words[i] = (ushort)scaling.Apply(data[i]);
            Write16(path, words, image.Shape, image.VoxelSize, options);
        }
    }

    /// <summary>Writes float values exactly as a 32-bit floating-point TIFF (.tif or .tiff only).</summary>
    public static void WriteFloat32Tiff(string path, ImageBuffer<float> image, MicroscopyWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var format = FormatOf(path);
        if (format != FileFormat.Tiff)
            throw new MicroscopyImageException(path, "32-bit floating-point images can only be written as TIFF (.tif, .tiff).");
        options ??= MicroscopyWriteOptions.Default;
        int page = image.Shape.Height * image.Shape.Width;
        WriteAtomically(path, s => TiffFileWriter.Write(s, image.Shape, 32, 3, z =>
        {
            var b = new byte[page * 4];
            for (int i = 0; i < page; i++)
                BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), image.Data[z * page + i]);
            return b;
        }, options.WritePhysicalSize ? image.VoxelSize : null, options.CompressTiff));
    }

    /// <summary>
    /// Writes an instance label map (0 = background) as 16-bit PNG or TIFF; a TIFF switches to 32-bit above 65,535 while a PNG
    /// then fails with a <see cref="MicroscopyImageException"/>.
    /// </summary>
    public static void WriteLabels(string path, ImageBuffer<uint> labels, MicroscopyWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        uint max = 0;
        foreach (var v in labels.Data)
            max = Math.Max(max, v);
        if (max <= ushort.MaxValue)
        {
            var words = new ushort[labels.Data.Length];
            for (int i = 0; i < words.Length; i++)
                words[i] = (ushort)labels.Data[i];
            Write16(path, words, labels.Shape, labels.VoxelSize, options);
            return;
        }

        if (FormatOf(path) != FileFormat.Tiff)
            throw new MicroscopyImageException(path, $"the label map's largest label is {max}, above the 65,535 a 16-bit PNG holds; write it as .tif (32-bit) instead.");
        options ??= MicroscopyWriteOptions.Default;
        int page = labels.Shape.Height * labels.Shape.Width;
        WriteAtomically(path, s => TiffFileWriter.Write(s, labels.Shape, 32, 1, z =>
        {
            var b = new byte[page * 4];
            for (int i = 0; i < page; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(i * 4), labels.Data[z * page + i]);
            return b;
        }, options.WritePhysicalSize ? labels.VoxelSize : null, options.CompressTiff));
    }

    /// <summary>
    /// Writes a 2D instance label map (0 = background) as a 16-bit greyscale PNG to a stream (an HTTP response, say); labels
    /// above 65,535 or a volume throw a <see cref="MicroscopyImageException"/> naming <paramref name="name"/>.
    /// </summary>
    public static void WriteLabelsPng(Stream stream, ImageBuffer<uint> labels, string name = "label map")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Shape.Is3D)
            throw new MicroscopyImageException(name, $"a PNG holds one 2D image but the label map is a volume ({labels.Shape}).");
        var pixels = new L16[labels.Data.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            uint v = labels.Data[i];
            if (v > ushort.MaxValue)
                throw new MicroscopyImageException(name, $"label {v} is above the 65,535 a 16-bit PNG holds.");
            pixels[i] = new L16((ushort)v);
        }

        using var img = Image.LoadPixelData<L16>(pixels, labels.Shape.Width, labels.Shape.Height);
        img.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });
    }

    /// <summary>Writes a mask as 8-bit; with <paramref name="scaleTo255"/> every non-zero value is written as 255 (visible in viewers).</summary>
    public static void WriteMask(string path, ImageBuffer<byte> mask, bool scaleTo255 = false, MicroscopyWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var bytes = mask.Data;
        if (scaleTo255)
            bytes = bytes.Select(b => b == 0 ? (byte)0 : byte.MaxValue).ToArray();
        Write8(path, bytes, mask.Shape, mask.VoxelSize, options);
    }

    /// <summary>Writes 8-bit samples (Z, Y, X) as they are.</summary>
    public static void Write8(string path, byte[] data, ImageShape shape, VoxelSize? voxelSize = null, MicroscopyWriteOptions? options = null)
    {
        Check(path, data.Length, shape);
        options ??= MicroscopyWriteOptions.Default;
        var size = options.WritePhysicalSize ? voxelSize : null;
        int page = shape.Height * shape.Width;
        if (FormatOf(path) == FileFormat.Png)
        {
            WriteAtomically(path, s =>
            {
                using var img = Image.LoadPixelData<L8>(data, shape.Width, shape.Height);
                SetResolution(img.Metadata, size);
                img.SaveAsPng(s, new PngEncoder { BitDepth = PngBitDepth.Bit8, ColorType = PngColorType.Grayscale });
            });
            return;
        }

        WriteAtomically(path, s => TiffFileWriter.Write(s, shape, 8, 1, z => data.AsSpan(z * page, page).ToArray(), size, options.CompressTiff));
    }

    /// <summary>Writes 16-bit samples (Z, Y, X) as they are.</summary>
    public static void Write16(string path, ushort[] data, ImageShape shape, VoxelSize? voxelSize = null, MicroscopyWriteOptions? options = null)
    {
        Check(path, data.Length, shape);
        options ??= MicroscopyWriteOptions.Default;
        var size = options.WritePhysicalSize ? voxelSize : null;
        int page = shape.Height * shape.Width;
        if (FormatOf(path) == FileFormat.Png)
        {
            WriteAtomically(path, s =>
            {
                var pixels = new L16[data.Length];
                for (int i = 0; i < data.Length; i++)
                    pixels[i] = new L16(data[i]);
                using var img = Image.LoadPixelData<L16>(pixels, shape.Width, shape.Height);
                SetResolution(img.Metadata, size);
                img.SaveAsPng(s, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });
            });
            return;
        }

        WriteAtomically(path, s => TiffFileWriter.Write(s, shape, 16, 1, z =>
        {
            var b = new byte[page * 2];
            for (int i = 0; i < page; i++)
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), data[z * page + i]);
            return b;
        }, size, options.CompressTiff));
    }

    private enum FileFormat { Png, Tiff }

    private static FileFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => FileFormat.Png,
            ".tif" or ".tiff" => FileFormat.Tiff,
            var e => throw new MicroscopyImageException(path, $"cannot write extension '{e}'; use .png, .tif or .tiff."),
        };
    }

    private static void Check(string path, int length, ImageShape shape)
    {
        if (length != shape.Length)
            throw new ArgumentException($"Data has {length} elements but shape {shape} needs {shape.Length} (writing '{path}').");
        if (FormatOf(path) == FileFormat.Png && shape.Depth > 1)
            throw new MicroscopyImageException(path, $"a PNG holds one 2D image but the data is a {shape} volume; write a multi-page .tif instead.");
    }

    private static void SetResolution(ImageMetadata metadata, VoxelSize? size)
    {
        if (size is not { IsValid: true } v)
            return;
        metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerMeter;
        metadata.HorizontalResolution = 1e6 / v.X;
        metadata.VerticalResolution = 1e6 / v.Y;
    }

    /// <summary>Writes through a temporary file in the target folder, then renames it over the target.</summary>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(s);
                s.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is not MicroscopyImageException)
        {
            TryDelete(temp);
            throw new MicroscopyImageException(path, "could not be written: " + ex.Message, ex);
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
