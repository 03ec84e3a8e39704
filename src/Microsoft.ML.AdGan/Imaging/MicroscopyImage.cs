namespace Microsoft.ML.AdGan.Imaging;

/// <summary>An image read from a file with what normalisation needs to know about its source.</summary>
public sealed class MicroscopyImage
{
    /// <summary>Creates the result of a read.</summary>
    public MicroscopyImage(string path, ImageBuffer<float> image, int bitsPerSample, bool isFloatingPoint, int channels, string format,
        IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        Path = path;
        Image = image;
        BitsPerSample = bitsPerSample;
        IsFloatingPoint = isFloatingPoint;
        Channels = channels;
        Format = format;
        Warnings = warnings ?? Array.Empty<string>();
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>Raw intensities (not normalised), one channel, Z, Y, X; <see cref="ImageBuffer{T}.VoxelSize"/> set when the file records one.</summary>
    public ImageBuffer<float> Image { get; }

    /// <summary>Bits per sample in the file (8, 16 or 32; 1 to 7 are read as 8).</summary>
    public int BitsPerSample { get; }

    /// <summary>True for floating-point samples (32-bit float TIFF).</summary>
    public bool IsFloatingPoint { get; }

    /// <summary>Number of channels in the file (1 greyscale, 3 RGB, 4 RGBA, or an ImageJ hyperstack's channel count).</summary>
    public int Channels { get; }

    /// <summary>The decoded format name (PNG, TIFF, JPEG, BMP).</summary>
    public string Format { get; }

    /// <summary>What the read changed and the caller should be told (e.g. non-finite pixels replaced); empty when nothing was.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The largest value the source type can hold: 255 for 8-bit, 65,535 for 16-bit, 4,294,967,295 for 32-bit integers, NaN for floating point.</summary>
    public double MaxValue => IsFloatingPoint ? double.NaN : Math.Pow(2, BitsPerSample) - 1;
}
