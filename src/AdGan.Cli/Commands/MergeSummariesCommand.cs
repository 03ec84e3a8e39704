using System.CommandLine;
using System.Text.Json;
using Microsoft.ML.AdGan.Sharding;

namespace AdGan.Cli.Commands;

/// <summary>`adgan merge-summaries`: merges the per-shard summaries of a collection segmented by several jobs.</summary>
internal static class MergeSummariesCommand
{
    /// <summary>Exit code when the summaries merged but some shards have none.</summary>
    public const int MissingShardsExitCode = 2;

    public static Command Create()
    {
        var inputs = new Argument<string[]>("summaries") { Description = "Shard summary files, or folders searched (recursively) for summary.shard-*-of-*.json.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Merged summary to write (JSON).", Required = true };
        var command = new Command("merge-summaries", $"Merge the summaries of a sharded run; checks that shards do not overlap and lists missing ones (exit code {MissingShardsExitCode} when some are missing).") { inputs, output };
        command.SetAction(parseResult =>
        {
            try
            {
                return Run(parseResult.GetValue(inputs)!, parseResult.GetValue(output)!, Console.Out);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Merges the summaries found in <paramref name="inputs"/> into <paramref name="outputPath"/>; returns the exit code.</summary>
    internal static int Run(IReadOnlyList<string> inputs, string outputPath, TextWriter log)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "summary.shard-*-of-*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    throw new FileNotFoundException($"Folder '{input}' holds no summary.shard-*-of-*.json.");
                files.AddRange(found);
            }
            else
            {
                files.Add(input);
            }
        }
        var merged = ShardSummaries.Merge(files.Select(ShardSummary.Read));
        string full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(merged, ShardSummaries.JsonOptions));
        log.WriteLine($"{merged.Shards.Count} of {merged.ShardCount} shards merged into {outputPath}: {merged.FileCount} files, {merged.Failed} failed, {merged.Objects} nuclei.");
        if (merged.Complete)
            return 0;
        log.WriteLine($"Missing shards: {string.Join(", ", merged.MissingShards)}.");
        return MissingShardsExitCode;
    }
}
