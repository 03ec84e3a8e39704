namespace Microsoft.ML.AdGan.Tools.Reporting;

/// <summary>What the report keeps of one image: its nuclei's sizes, the foreground check, the time and the pictures written.</summary>
public sealed class ReportImage
{
    internal ReportImage(string name, bool isVolume, long[] sizes, double? physicalUnit, double? foregroundDice, string foregroundSource, TimeSpan? elapsed, string thumbnail, string? overlay)
    {
        Name = name;
        IsVolume = isVolume;
        Sizes = sizes;
        PhysicalUnit = physicalUnit;
        ForegroundDice = foregroundDice;
        ForegroundSource = foregroundSource;
        Elapsed = elapsed;
        Thumbnail = thumbnail;
        Overlay = overlay;
    }

    /// <summary>The image's name (file name).</summary>
    public string Name { get; }

    /// <summary>True for a volume (sizes are voxels, the pictures show the middle slice).</summary>
    public bool IsVolume { get; }

    /// <summary>Number of nuclei.</summary>
    public int Count => Sizes.Count;

    /// <summary>Size of each nucleus in pixels (voxels), in label order.</summary>
    public IReadOnlyList<long> Sizes { get; }

    /// <summary>Area of a pixel in µm² (volume of a voxel in µm³) when the image records it.</summary>
    public double? PhysicalUnit { get; }

    /// <summary>Dice of the decoded map's (or the labels') foreground with the image's own Otsu foreground; null for a flat image.</summary>
    public double? ForegroundDice { get; }

    /// <summary>"decoded map" or "labels": what <see cref="ForegroundDice"/> compared with the threshold.</summary>
    public string ForegroundSource { get; }

    /// <summary>Time the image took, when the caller measured it.</summary>
    public TimeSpan? Elapsed { get; }

    /// <summary>The thumbnail's path relative to the report folder.</summary>
    public string Thumbnail { get; }

    /// <summary>The full-size overlay's path relative to the report folder, when written.</summary>
    public string? Overlay { get; }

    /// <summary>The rules that flagged the image (empty when none did); set when the report is written.</summary>
    public IReadOnlyList<string> Flags { get; internal set; } = Array.Empty<string>();
}
