using System.CommandLine;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Sharding;

namespace AdGan.Cli.Commands;

/// <summary>The flags of `adgan segment` for exports, the report, shards and subfolders, and the <see cref="SegmentRunOptions"/> they give.</summary>
internal sealed class SegmentRunArguments
{
    private readonly Option<string?> _export = new("--export")
    {
        Description = $"Also write, per image, to OUT/exports: a comma-separated list of {string.Join(", ", SegmentationExports.FormatTokens)} (or all): "
            + "ImageJ/Fiji ROI sets (.rois.zip), QuPath GeoJSON (.geojson), OME-TIFF label images with the pixel size (.ome.tif), a measurements table per nucleus (.csv).",
    };

    private readonly Option<string?> _report = new("--report")
    {
        Description = "Also write an HTML report of the folder (overlays, counts, size plots, flagged images, settings, timings) to this folder; without a value, OUT/report. Open index.html.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _shard = new("--shard")
    {
        Description = "Segment only shard i of n of the folder, as i/n with i 0-based (e.g. 3/16): each file by a stable hash of its path relative to --images. Writes OUT/summary.shard-i-of-n.json; merge with adgan merge-summaries.",
    };

    private readonly Option<int?> _shards = new("--shards")
    {
        Description = $"Split the folder into this many shards and take this job's index from {ShardAssignment.KubernetesIndexVariable} (Kubernetes Indexed Job) or {ShardAssignment.SlurmTaskIdVariable} (Slurm array, offset from {ShardAssignment.SlurmTaskMinVariable}).",
    };

    private readonly Option<bool> _recursive = new("--recursive")
    {
        Description = "Also segment the images in subfolders of --images; outputs mirror the subfolders.",
    };

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => new Option[] { _export, _report, _shard, _shards, _recursive };

    /// <summary>The options the flags give; <paramref name="environment"/> reads the scheduler's variables for --shards. Throws <see cref="ArgumentException"/> naming a bad flag.</summary>
    public SegmentRunOptions Build(ParseResult parseResult, string outDir, Func<string, string?>? environment = null)
    {
        var exports = parseResult.GetValue(_export) is { } list ? SegmentationExports.ParseFormats(list) : SegmentationExportFormats.None;
        string? report = parseResult.GetResult(_report) is null ? null : parseResult.GetValue(_report) ?? Path.Combine(outDir, "report");
        return new SegmentRunOptions
        {
            Exports = exports,
            ReportFolder = report,
            Shard = Shard(parseResult.GetValue(_shard), parseResult.GetValue(_shards), environment),
            Recursive = parseResult.GetValue(_recursive),
        };
    }

    /// <summary>The shard of --shard or --shards (null when neither is given).</summary>
    internal static ShardAssignment? Shard(string? shard, int? shards, Func<string, string?>? environment = null)
    {
        if (shard is not null && shards is not null)
            throw new ArgumentException("Give either --shard i/n or --shards n (index from the scheduler), not both.");
        if (shard is not null)
            return ShardAssignment.Parse(shard);
        if (shards is int n)
        {
            if (n < 1)
                throw new ArgumentException($"--shards must be at least 1, not {n}.");
            return ShardAssignment.FromEnvironment(n, environment);
        }

        return null;
    }
}
