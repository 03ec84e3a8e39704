using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Export;

/// <summary>Settings of <see cref="SegmentationExports.Write"/>.</summary>
public sealed class SegmentationExportOptions
{
    /// <summary>The QuPath object type of each nucleus in the GeoJSON. Default <see cref="QuPathObjectType.Detection"/>.</summary>
    public QuPathObjectType GeoJsonObjectType { get; set; } = QuPathObjectType.Detection;

    /// <summary>Physical pixel or voxel size to record and measure with; null (default) uses the label map's, then the image's.</summary>
    public VoxelSize? VoxelSize { get; set; }

    /// <summary>The image's name in the table's first column and the OME-XML; null (default) uses the base path's file name.</summary>
    public string? ImageName { get; set; }
}
