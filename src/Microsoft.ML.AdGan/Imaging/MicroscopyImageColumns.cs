namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// The columns <c>LoadMicroscopyImages</c> adds for an output column "Image": "Image" (variable-length float vector, Z, Y, X
/// row-major), "Image.Depth", "Image.Height", "Image.Width" (Int32; Depth is 1 for 2D images), "Image.VoxelSize"
/// (3 floats: Z, Y, X in micrometres, 0 where unknown), "Image.BitsPerSample" (Int32: 8, 16 or 32) and "Image.Warnings"
/// (text: what the read changed, e.g. non-finite pixels replaced, one warning a line; empty when nothing was).
/// </summary>
public static class MicroscopyImageColumns
{
    /// <summary>Suffix of the depth (Z) column.</summary>
    public const string DepthSuffix = ".Depth";

    /// <summary>Suffix of the height (Y) column.</summary>
    public const string HeightSuffix = ".Height";

    /// <summary>Suffix of the width (X) column.</summary>
    public const string WidthSuffix = ".Width";

    /// <summary>Suffix of the voxel size column (Z, Y, X micrometres).</summary>
    public const string VoxelSizeSuffix = ".VoxelSize";

    /// <summary>Suffix of the source bit depth column.</summary>
    public const string BitsPerSampleSuffix = ".BitsPerSample";

    /// <summary>Suffix of the read warnings column.</summary>
    public const string WarningsSuffix = ".Warnings";

    /// <summary>Name of the depth column of an image column.</summary>
    public static string Depth(string imageColumn) => imageColumn + DepthSuffix;

    /// <summary>Name of the height column of an image column.</summary>
    public static string Height(string imageColumn) => imageColumn + HeightSuffix;

    /// <summary>Name of the width column of an image column.</summary>
    public static string Width(string imageColumn) => imageColumn + WidthSuffix;

    /// <summary>Name of the voxel size column of an image column.</summary>
    public static string VoxelSize(string imageColumn) => imageColumn + VoxelSizeSuffix;

    /// <summary>Name of the bit depth column of an image column.</summary>
    public static string BitsPerSample(string imageColumn) => imageColumn + BitsPerSampleSuffix;

    /// <summary>Name of the read warnings column of an image column.</summary>
    public static string Warnings(string imageColumn) => imageColumn + WarningsSuffix;
}
