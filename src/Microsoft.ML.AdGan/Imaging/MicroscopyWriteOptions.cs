namespace Microsoft.ML.AdGan.Imaging;

/// <summary>How <see cref="MicroscopyImageWriter"/> writes files.</summary>
public sealed class MicroscopyWriteOptions
{
    /// <summary>Compress TIFF pages with Deflate (zlib, TIFF compression 8); default false (uncompressed, readable everywhere). PNG is always compressed.</summary>
    public bool CompressTiff { get; set; }

    /// <summary>Record the buffer's <see cref="ImageBuffer{T}.VoxelSize"/> in the file (TIFF resolution + ImageJ unit/spacing, PNG pHYs); default true.</summary>
    public bool WritePhysicalSize { get; set; } = true;

    /// <summary>Shared defaults.</summary>
    internal static MicroscopyWriteOptions Default { get; } = new();
}
