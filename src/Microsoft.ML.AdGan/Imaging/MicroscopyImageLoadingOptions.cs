namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Options of <c>mlContext.Transforms.LoadMicroscopyImages</c> (<see cref="MicroscopyImageLoadingEstimator"/>).</summary>
public sealed class MicroscopyImageLoadingOptions
{
    /// <summary>The image column to create (default "Image"); its shape columns are named "{Image}.Depth", "{Image}.Height", "{Image}.Width".</summary>
    public string OutputColumnName { get; set; } = "Image";

    /// <summary>The text column holding file paths (default "Path").</summary>
    public string InputColumnName { get; set; } = "Path";

    /// <summary>
    /// Channel, page, pixel budget and non-finite pixel choices for every file; default: average colour channels, all TIFF
    /// pages as a volume, at most <see cref="MicroscopyReadOptions.DefaultMaxPixels"/> pixels, NaN or infinite pixels an
    /// error (with <see cref="NonFinitePixelPolicy.ReplaceWithMinimum"/> the "{Image}.Warnings" column says what was replaced).
    /// </summary>
    public MicroscopyReadOptions ReadOptions { get; set; } = new();

    /// <summary>
    /// Normalisation applied per image before it enters the column, or null (default) to keep raw intensities
    /// (then normalise later, e.g. with <see cref="IntensityNormalizer"/>, using the "{Image}.BitsPerSample" column).
    /// </summary>
    public IntensityNormalizerOptions? Normalization { get; set; }
}
