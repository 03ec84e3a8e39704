namespace Microsoft.ML.AdGan.Imaging;

/// <summary>How <see cref="MicroscopyImageReader"/> turns a file into a single-channel image or volume.</summary>
public sealed class MicroscopyReadOptions
{
    /// <summary>
    /// The channel to keep from a multi-channel file (0 = red or first channel), or null (default) to average the colour
    /// channels (alpha excluded). A greyscale file accepts null or 0; a larger index than the file has is an error.
    /// For an ImageJ hyperstack (description with channels=C), channels are the interleaved pages.
    /// </summary>
    public int? Channel { get; set; }

    /// <summary>Read only the first page of a multi-page TIFF as a 2D image (default false: all pages form a Z, Y, X volume).</summary>
    public bool FirstPageOnly { get; set; }

    /// <summary>Shared default options (average channels, every page).</summary>
    internal static MicroscopyReadOptions Default { get; } = new();
}
