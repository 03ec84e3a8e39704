using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Sharding;

namespace AdGan.Cli.Commands;

/// <summary>What `adgan segment` does around each label map: exports, the HTML report, the shard of the folder and its summary.</summary>
internal sealed record SegmentRunOptions
{
    /// <summary>No exports, no report, the whole folder, no summary.</summary>
    public static SegmentRunOptions None { get; } = new();

    /// <summary>Files written per image to OUT/exports (--export).</summary>
    public SegmentationExportFormats Exports { get; init; }

    /// <summary>Folder of the HTML report (--report); null: none.</summary>
    public string? ReportFolder { get; init; }

    /// <summary>The shard of the folder this run segments (--shard, --shards); null: the whole folder, no summary.</summary>
    public ShardAssignment? Shard { get; init; }

    /// <summary>Also take images from subfolders (--recursive); outputs mirror the subfolders.</summary>
    public bool Recursive { get; init; }

    /// <summary>What the summary records as the model (shards of different models do not merge).</summary>
    public string? ModelId { get; init; }

    /// <summary>The settings the report lists.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = Array.Empty<KeyValuePair<string, string>>();
}
