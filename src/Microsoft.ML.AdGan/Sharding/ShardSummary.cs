using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.AdGan.Sharding;

/// <summary>What one shard of a collection did, written as JSON beside its outputs (<see cref="ShardAssignment.SummaryFileName"/>).</summary>
internal sealed record ShardSummary
{
    /// <summary>Version of this JSON layout.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Version of the layout this summary was written with.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The shard's index, 0-based.</summary>
    public required int ShardIndex { get; init; }

    /// <summary>The number of shards the collection was split into.</summary>
    public required int ShardCount { get; init; }

    /// <summary>The model the shard ran (merging refuses shards of different models); null when not recorded.</summary>
    public string? ModelId { get; init; }

    /// <summary>When the shard started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When the shard finished.</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>One entry per file of the shard.</summary>
    public IReadOnlyList<ShardFileResult> Files { get; init; } = Array.Empty<ShardFileResult>();

    /// <summary>Files that failed.</summary>
    [JsonIgnore]
    public int Failed => Files.Count(f => f.Error is not null);

    /// <summary>Writes the summary as indented JSON to <paramref name="path"/>, atomically (temporary file, then rename).</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, ShardSummaries.JsonOptions));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a summary, naming the file when it is missing, not JSON, of a newer layout or inconsistent.</summary>
    public static ShardSummary Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Shard summary '{path}' does not exist.", path);
        ShardSummary? summary;
        try
        {
            summary = JsonSerializer.Deserialize<ShardSummary>(File.ReadAllText(path), ShardSummaries.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a shard summary: {e.Message}", e);
        }
        if (summary is null)
            throw new InvalidDataException($"'{path}' is empty.");
        if (summary.FormatVersion < 1 || summary.FormatVersion > CurrentFormatVersion)
            throw new InvalidDataException($"'{path}' has summary format version {summary.FormatVersion}; this library reads 1 to {CurrentFormatVersion}.");
        if (summary.ShardCount < 1 || summary.ShardIndex < 0 || summary.ShardIndex >= summary.ShardCount)
            throw new InvalidDataException($"'{path}' names shard {summary.ShardIndex} of {summary.ShardCount}, which does not exist.");
        return summary;
    }
}

/// <summary>The outcome for one file of a shard.</summary>
/// <param name="Path">The file's path relative to the collection's root (the path that was hashed).</param>
/// <param name="Outputs">Files written for it, relative to the output root.</param>
/// <param name="Objects">Nuclei found; null when it failed.</param>
/// <param name="Seconds">Time spent on it.</param>
/// <param name="Error">Why it failed; null when it succeeded.</param>
internal sealed record ShardFileResult(string Path, IReadOnlyList<string> Outputs, int? Objects, double Seconds, string? Error = null);
