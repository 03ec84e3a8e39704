using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Writes the results of one segmented image in the formats biologists open them in: ImageJ/Fiji ROI sets, GeoJSON for
/// QuPath, OME-TIFF label images (napari, Fiji, QuPath) and a per-nucleus measurements table.
/// </summary>
public static class SegmentationExports
{
    /// <summary>The tokens of <see cref="ParseFormats"/>, in the order of the flags.</summary>
    public static IReadOnlyList<string> FormatTokens { get; } = new[] { "rois", "geojson", "ome-tiff", "csv" };

    /// <summary>
    /// Writes the chosen files for a label map next to <paramref name="basePath"/> (a path without extension; its folder is
    /// created) and returns their paths. <paramref name="image"/> is the input's selected channel in raw units (same shape),
    /// used for the table's intensities (blank without it) and its voxel size.
    /// </summary>
    public static IReadOnlyList<string> Write(ImageBuffer<uint> labels, ImageBuffer<float>? image, string basePath, SegmentationExportFormats formats,
        SegmentationExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrEmpty(basePath);
        if ((formats & ~SegmentationExportFormats.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(formats), formats, "Unknown export format flags.");
        if (image is not null && image.Shape != labels.Shape)
            throw new ArgumentException($"The image is {image.Shape} but the label map is {labels.Shape}.", nameof(image));
        options ??= new SegmentationExportOptions();
        var size = options.VoxelSize ?? labels.VoxelSize ?? image?.VoxelSize;
        string name = options.ImageName ?? Path.GetFileName(basePath);
        bool volume = labels.Shape.Is3D;
        var written = new List<string>();
        IReadOnlyList<NucleusOutline>? outlines = null;
        if ((formats & (SegmentationExportFormats.ImageJRois | SegmentationExportFormats.GeoJson)) != 0)
            outlines = LabelOutlines.Trace(labels);
        if (formats.HasFlag(SegmentationExportFormats.ImageJRois))
        {
            string path = PathFor(basePath, SegmentationExportFormats.ImageJRois);
            ImageJRoiWriter.Write(path, outlines!, volume);
            written.Add(path);
        }

        if (formats.HasFlag(SegmentationExportFormats.GeoJson))
        {
            string path = PathFor(basePath, SegmentationExportFormats.GeoJson);
            GeoJsonWriter.Write(path, outlines!, volume, options.GeoJsonObjectType);
            written.Add(path);
        }

        if (formats.HasFlag(SegmentationExportFormats.OmeTiff))
        {
            string path = PathFor(basePath, SegmentationExportFormats.OmeTiff);
            OmeTiffLabelWriter.Write(path, labels, size, name);
            written.Add(path);
        }

        if (formats.HasFlag(SegmentationExportFormats.MeasurementsCsv))
        {
            string path = PathFor(basePath, SegmentationExportFormats.MeasurementsCsv);
            NucleusMeasurements.WriteCsv(path, NucleusMeasurements.Measure(labels, image, size), volume, name);
            written.Add(path);
        }

        return written;
    }

    /// <summary>The file one format writes for <paramref name="basePath"/>: .rois.zip, .geojson, .ome.tif or .csv appended.</summary>
    public static string PathFor(string basePath, SegmentationExportFormats format) => basePath + format switch
    {
        SegmentationExportFormats.ImageJRois => ".rois.zip",
        SegmentationExportFormats.GeoJson => ".geojson",
        SegmentationExportFormats.OmeTiff => ".ome.tif",
        SegmentationExportFormats.MeasurementsCsv => ".csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Name exactly one format."),
    };

    /// <summary>
    /// Parses a comma-separated list of "rois", "geojson", "ome-tiff", "csv" (or "all", "none"; case-insensitive), as the
    /// command line's --export takes it; an unknown token throws an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static SegmentationExportFormats ParseFormats(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var result = SegmentationExportFormats.None;
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= raw.ToLowerInvariant() switch
            {
                "rois" or "roi" or "imagej" => SegmentationExportFormats.ImageJRois,
                "geojson" or "qupath" => SegmentationExportFormats.GeoJson,
                "ome-tiff" or "ometiff" or "ome-tif" => SegmentationExportFormats.OmeTiff,
                "csv" or "table" => SegmentationExportFormats.MeasurementsCsv,
                "all" => SegmentationExportFormats.All,
                "none" => SegmentationExportFormats.None,
                _ => throw new ArgumentException($"Unknown export format '{raw}'; use a comma-separated list of {string.Join(", ", FormatTokens)} (or all).", nameof(list)),
            };
        }

        return result;
    }
}
