namespace Microsoft.ML.AdGan.Imaging;

/// <summary>A microscopy image file could not be read or written; the message names the file and the reason.</summary>
public sealed class MicroscopyImageException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a reason.</summary>
    public MicroscopyImageException(string path, string reason, Exception? innerException = null)
        : base($"Image file '{path}': {reason}", innerException)
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The file that failed.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed, without the file name.</summary>
    public string Reason { get; }

    /// <summary>True when the header claims more pixels than <see cref="MicroscopyReadOptions.MaxPixels"/> (nothing was decoded).</summary>
    public bool ExceedsPixelBudget { get; init; }
}
