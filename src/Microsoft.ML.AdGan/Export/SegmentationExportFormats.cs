namespace Microsoft.ML.AdGan.Export;

/// <summary>The files <see cref="SegmentationExports.Write"/> writes for one segmented image; combine with |.</summary>
[Flags]
public enum SegmentationExportFormats
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>An ImageJ/Fiji ROI set, BASE.rois.zip (token "rois").</summary>
    ImageJRois = 1,

    /// <summary>A GeoJSON FeatureCollection for QuPath, BASE.geojson (token "geojson").</summary>
    GeoJson = 2,

    /// <summary>The label map as OME-TIFF with the physical pixel size, BASE.ome.tif (token "ome-tiff").</summary>
    OmeTiff = 4,

    /// <summary>The per-nucleus measurements table, BASE.csv (token "csv").</summary>
    MeasurementsCsv = 8,

    /// <summary>Every format (token "all").</summary>
    All = ImageJRois | GeoJson | OmeTiff | MeasurementsCsv,
}
