namespace Microsoft.ML.AdGan.Inference;

/// <summary>An image the segmentation pipeline cannot segment (wrong dimensionality, non-finite pixels); the message names the image and what is wrong.</summary>
public sealed class SegmentationException : Exception
{
    /// <summary>Creates the exception for <paramref name="imageName"/>.</summary>
    public SegmentationException(string imageName, string message, Exception? innerException = null)
        : base(message, innerException) => ImageName = imageName;

    /// <summary>The image's name as the caller gave it (a file, a row, a request).</summary>
    public string ImageName { get; }
}
