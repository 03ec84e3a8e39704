using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML;

/// <summary>Catalog extensions that read microscopy images (PNG, TIFF stacks, JPEG, BMP; 8, 16 or 32-bit) in ML.NET pipelines.</summary>
public static class MicroscopyImagingCatalog
{
    /// <summary>
    /// Reads the file named in <paramref name="inputColumnName"/> into <paramref name="outputColumnName"/> (float vector, Z, Y, X,
    /// raw intensities unless <paramref name="normalization"/> is given) plus "{output}.Depth", ".Height", ".Width",
    /// ".VoxelSize", ".BitsPerSample" and ".Warnings" columns (see <see cref="MicroscopyImageColumns"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to create.</param>
    /// <param name="inputColumnName">The text column of file paths; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="readOptions">Channel, page, pixel budget and non-finite pixel choices; default averages colour channels, reads every TIFF page, allows 2^30 pixels and refuses NaN or infinite pixels.</param>
    /// <param name="normalization">Per-image normalisation to [-1, 1], or null (default) for raw intensities.</param>
    public static MicroscopyImageLoadingEstimator LoadMicroscopyImages(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, MicroscopyReadOptions? readOptions = null, IntensityNormalizerOptions? normalization = null)
        => new(catalog, new MicroscopyImageLoadingOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName ?? outputColumnName,
            ReadOptions = readOptions ?? new MicroscopyReadOptions(),
            Normalization = normalization,
        });

    /// <summary>Reads microscopy images with all options in one object (see <see cref="MicroscopyImageLoadingOptions"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names, read options and normalisation.</param>
    public static MicroscopyImageLoadingEstimator LoadMicroscopyImages(this TransformsCatalog catalog, MicroscopyImageLoadingOptions options)
        => new(catalog, options);
}
