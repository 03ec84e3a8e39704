using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.AdGan.Sharding;

/// <summary>Merges the summaries of the shards of one collection and checks that they fit together.</summary>
internal static class ShardSummaries
{
    /// <summary>JSON options of summaries (indented).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>
    /// Merges <paramref name="summaries"/>: all must have one shard count and model, no shard may come twice, no file may
    /// appear twice, and every file must belong to the shard that reports it (else the shards were cut differently).
    /// Missing shards are listed, not an error, so a partial run can be inspected.
    /// </summary>
    public static MergedShardSummary Merge(IEnumerable<ShardSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var list = summaries.ToList();
        if (list.Count == 0)
            throw new ArgumentException("There are no shard summaries to merge.", nameof(summaries));
        int count = list[0].ShardCount;
        if (list.FirstOrDefault(s => s.ShardCount != count) is { } other)
            throw new ArgumentException($"Shard {other.ShardIndex} was cut into {other.ShardCount} shards, shard {list[0].ShardIndex} into {count}; merge summaries of one run.", nameof(summaries));
        var models = list.Select(s => s.ModelId).Where(m => m is not null).Distinct().ToList();
        if (models.Count > 1)
            throw new ArgumentException($"The shards ran different models ({string.Join(", ", models)}).", nameof(summaries));
        if (list.GroupBy(s => s.ShardIndex).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Shard {twice.Key} of {count} appears {twice.Count()} times.", nameof(summaries));

        var files = new Dictionary<string, (ShardFileResult File, int Shard)>(StringComparer.Ordinal);
        foreach (var summary in list)
        {
            foreach (var file in summary.Files)
            {
                string path = ShardAssignment.NormalizePath(file.Path);
                if (files.TryGetValue(path, out var first))
                    throw new ArgumentException($"'{path}' is reported by shard {first.Shard} and shard {summary.ShardIndex}; shards must not overlap.", nameof(summaries));
                int expected = ShardAssignment.ShardOf(path, count);
                if (expected != summary.ShardIndex)
                    throw new ArgumentException($"'{path}' is reported by shard {summary.ShardIndex} but belongs to shard {expected} of {count}.", nameof(summaries));
                files[path] = (file, summary.ShardIndex);
            }
        }

        var present = list.Select(s => s.ShardIndex).ToHashSet();
        var ordered = files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value.File).ToList();
        return new MergedShardSummary
        {
            ShardCount = count,
            ModelId = models.SingleOrDefault(),
            Shards = present.Order().ToList(),
            MissingShards = Enumerable.Range(0, count).Where(i => !present.Contains(i)).ToList(),
            Started = list.Min(s => s.Started),
            Finished = list.Max(s => s.Finished),
            FileCount = ordered.Count,
            Failed = ordered.Count(f => f.Error is not null),
            Objects = ordered.Sum(f => (long)(f.Objects ?? 0)),
            Files = ordered,
        };
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions { WriteIndented = true };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>The summaries of a collection's shards, merged.</summary>
internal sealed record MergedShardSummary
{
    /// <summary>The number of shards the collection was split into.</summary>
    public required int ShardCount { get; init; }

    /// <summary>The model every shard ran; null when none recorded it.</summary>
    public string? ModelId { get; init; }

    /// <summary>The shards whose summaries were merged.</summary>
    public required IReadOnlyList<int> Shards { get; init; }

    /// <summary>The shards with no summary (still running, failed, or not given).</summary>
    public required IReadOnlyList<int> MissingShards { get; init; }

    /// <summary>The earliest start of a merged shard.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>The latest end of a merged shard.</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>Files reported.</summary>
    public int FileCount { get; init; }

    /// <summary>Files that failed.</summary>
    public int Failed { get; init; }

    /// <summary>Nuclei found in all files.</summary>
    public long Objects { get; init; }

    /// <summary>Every file's result, ordered by path.</summary>
    public required IReadOnlyList<ShardFileResult> Files { get; init; }

    /// <summary>True when every shard reported.</summary>
    [JsonIgnore]
    public bool Complete => MissingShards.Count == 0;
}
