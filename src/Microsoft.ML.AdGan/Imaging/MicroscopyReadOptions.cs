namespace Microsoft.ML.AdGan.Imaging;

/// <summary>How <see cref="MicroscopyImageReader"/> turns a file into a single-channel image or volume.</summary>
public sealed class MicroscopyReadOptions
{
    /// <summary>The default <see cref="MaxPixels"/>: 2^30 pixels, a 32768 x 32768 image or a 64 x 4096 x 4096 volume.</summary>
    public const long DefaultMaxPixels = 1L << 30;

    /// <summary>A <see cref="MaxPixels"/> for servers that decode uploaded images: 2^26 pixels, an 8192 x 8192 image.</summary>
    public const long ServerMaxPixels = 1L << 26;

    /// <summary>
    /// The channel to keep from a multi-channel file (0 = red or first channel), or null (default) to average the colour
    /// channels (alpha excluded). A greyscale file accepts null or 0; a larger index than the file has is an error.
    /// For an ImageJ hyperstack (description with channels=C), channels are the interleaved pages.
    /// </summary>
    public int? Channel { get; set; }

    /// <summary>Read only the first page of a multi-page TIFF as a 2D image (default false: all pages form a Z, Y, X volume).</summary>
    public bool FirstPageOnly { get; set; }

    /// <summary>
    /// The pixel budget: the most pixels (voxels for stacks: width x height x pages decoded) a file may hold, checked from its
    /// header before any pixel buffer is allocated; a larger file is a <see cref="MicroscopyImageException"/>.
    /// Default <see cref="DefaultMaxPixels"/> (2^30); raise it for larger images.
    /// </summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>What to do with NaN or infinite pixels (floating-point TIFF): an error (default) or replacement by the image's finite minimum with a warning.</summary>
    public NonFinitePixelPolicy NonFinite { get; set; } = NonFinitePixelPolicy.Error;

    /// <summary>Shared default options (average channels, every page, the default budget, non-finite pixels an error).</summary>
    internal static MicroscopyReadOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option that is out of range.</summary>
    internal void Validate()
    {
        if (Channel is < 0)
            throw new ArgumentOutOfRangeException(nameof(Channel), Channel, "MicroscopyReadOptions.Channel must be null (average) or a channel index >= 0.");
        if (MaxPixels < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "MicroscopyReadOptions.MaxPixels must be at least 1.");
        if (!Enum.IsDefined(NonFinite))
            throw new ArgumentOutOfRangeException(nameof(NonFinite), NonFinite, "MicroscopyReadOptions.NonFinite must be Error or ReplaceWithMinimum.");
    }
}
