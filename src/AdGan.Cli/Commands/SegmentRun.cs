using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Sharding;
using Microsoft.ML.AdGan.Tools.Reporting;

namespace AdGan.Cli.Commands;

/// <summary>
/// One run of `adgan segment` over a folder, around the per-image loop: picks this shard's files and names their outputs
/// (unique in the output folder whatever the shard), then per image writes the exports, adds it to the report, records it
/// for the shard's summary and shows progress; at the end writes the report and the summary.
/// </summary>
internal sealed class SegmentRun
{
    private readonly string _imagesDir, _outDir;
    private readonly SegmentRunOptions _options;
    private readonly TextWriter _log;
    private readonly ConsoleProgress _progress;
    private readonly SegmentationReport? _report;
    private readonly Dictionary<string, string> _stems = new(StringComparer.Ordinal);
    private readonly List<ShardFileResult> _results = new();
    private readonly Stopwatch _total = Stopwatch.StartNew(), _file = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>A run over <paramref name="imagesDir"/> writing to <paramref name="outDir"/>; <paramref name="log"/> gets the per-image lines and the progress.</summary>
    public SegmentRun(string imagesDir, string outDir, SegmentRunOptions options, TextWriter log)
    {
        _imagesDir = Path.GetFullPath(imagesDir);
        _outDir = Path.GetFullPath(outDir);
        _options = options;
        _log = log;
        _progress = ConsoleProgress.For(log);
        if (options.Recursive && IsInside(_outDir, _imagesDir))
            throw new ArgumentException($"--out '{outDir}' lies inside --images '{imagesDir}'; with --recursive its outputs would be read as images. Pick an output folder outside.");
        if (options.ReportFolder is { } folder)
            _report = new SegmentationReport(ShardedFolder(folder));
    }

    /// <summary>The folder's images, each by its path relative to the images folder, in order; throws when there is none.</summary>
    public IReadOnlyList<string> ListFiles()
    {
        var files = MicroscopyImageReader.ListFiles(_imagesDir, _options.Recursive);
        if (files.Count == 0)
            throw new FileNotFoundException($"No supported image in '{_imagesDir}'{(_options.Recursive ? " or its subfolders" : string.Empty)}.");
        return files;
    }

    /// <summary>
    /// The files of <paramref name="files"/> (the whole folder, as <see cref="ListFiles"/> gives it) that this run segments,
    /// and starts the progress. Output names are fixed here from the whole folder, so every shard names a file alike.
    /// </summary>
    public IReadOnlyList<string> Select(IReadOnlyList<string> files)
    {
        foreach (var (file, stem) in OutputStems(files.Select(Relative).ToList()))
            _stems[file] = stem;
        var mine = _options.Shard is { } shard ? files.Where(f => shard.Contains(Relative(f))).ToList() : files.ToList();
        if (_options.Shard is { Count: > 1 } s)
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {s}: {mine.Count} of {files.Count} files"));
        _progress.Start(_options.Shard is { Count: > 1 } p ? $"segment shard {p}" : "segment", mine.Count);
        _file.Restart();
        return mine;
    }

    /// <summary>The output path of <paramref name="file"/> without extension, under <paramref name="folder"/> (relative to the output folder; "" for the label maps).</summary>
    public string OutputBase(string file, string folder = "")
        => Path.Combine(_outDir, folder, _stems.TryGetValue(Relative(file), out var stem) ? stem : Path.GetFileNameWithoutExtension(file));

    /// <summary>
    /// One image done: writes its exports, adds it to the report, records <paramref name="written"/> (and the exports) for
    /// the summary, prints its count and advances the progress. <paramref name="image"/> is the raw selected channel.
    /// </summary>
    public void Completed(string file, ImageBuffer<float> image, ImageBuffer<uint> labels, ImageBuffer<float>? decoded, IEnumerable<string> written)
    {
        string name = Relative(file);
        var outputs = written.ToList();
        if (_options.Exports != SegmentationExportFormats.None)
        {
            var options = new SegmentationExportOptions { ImageName = name };
            outputs.AddRange(SegmentationExports.Write(labels, image, OutputBase(file, "exports"), _options.Exports, options));
        }

        var elapsed = _file.Elapsed;
        _report?.Add(name, labels, image, decoded, elapsed);
        int count = CountNuclei(labels);
        _results.Add(new ShardFileResult(name, outputs.Select(o => Path.GetRelativePath(_outDir, o).Replace('\\', '/')).ToList(), count, Math.Round(elapsed.TotalSeconds, 3)));
        _progress.Log($"{name}: {count} nuclei");
        _progress.Advance(name);
        _file.Restart();
    }

    /// <summary>One image failed (recorded in the summary with <paramref name="error"/>'s message).</summary>
    public void Failed(string file, Exception error)
    {
        string name = Relative(file);
        _results.Add(new ShardFileResult(name, Array.Empty<string>(), null, Math.Round(_file.Elapsed.TotalSeconds, 3), error.Message));
        _progress.Log($"{name}: failed: {error.Message}");
        _progress.Advance(name);
        _file.Restart();
    }

    /// <summary>Ends the progress and writes the report and the shard's summary; returns 0.</summary>
    public int Finish()
    {
        _progress.Done();
        if (_report is not null)
        {
            var settings = _options.Settings.ToList();
            if (_options.Shard is { Count: > 1 } s)
                settings.Add(new("shard", s.ToString()));
            if (_options.Exports != SegmentationExportFormats.None)
                settings.Add(new("exports", _options.Exports.ToString()));
            _log.WriteLine($"report: {_report.Write(settings, _total.Elapsed)}");
        }

        if (_options.Shard is { } shard)
        {
            var summary = new ShardSummary
            {
                ShardIndex = shard.Index,
                ShardCount = shard.Count,
                ModelId = _options.ModelId,
                Started = _started,
                Finished = DateTimeOffset.UtcNow,
                Files = _results,
            };
            string path = Path.Combine(_outDir, shard.SummaryFileName);
            summary.Write(path);
            _log.WriteLine($"summary: {path} ({_results.Count} files, {summary.Failed} failed)");
        }

        return 0;
    }

    /// <summary>
    /// Output names (relative path without extension, '/' separated) for the folder's files: the path without its extension,
    /// or, where two files share that (a.png and a.tif), the path with its extension, so no two files write the same outputs.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> OutputStems(IReadOnlyList<string> relativePaths)
    {
        static string WithoutExtension(string path)
        {
            string? folder = Path.GetDirectoryName(path);
            string stem = Path.GetFileNameWithoutExtension(path);
            return string.IsNullOrEmpty(folder) ? stem : folder.Replace('\\', '/') + "/" + stem;
        }

        var byStem = relativePaths.GroupBy(WithoutExtension, StringComparer.Ordinal).ToList();
        var stems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in byStem)
        {
            foreach (var path in group)
                stems[path] = group.Count() == 1 ? group.Key : path;
        }

        var clash = stems.GroupBy(p => p.Value, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"Files {string.Join(" and ", clash.Select(p => $"'{p.Key}'"))} would write the same outputs '{clash.Key}.*'; rename one.");
        return stems;
    }

    private string Relative(string file) => ShardAssignment.NormalizePath(Path.GetRelativePath(_imagesDir, Path.GetFullPath(file)));

    private string ShardedFolder(string folder)
        => _options.Shard is { Count: > 1 } s ? Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"shard-{s.Index}-of-{s.Count}")) : folder;

    private static int CountNuclei(ImageBuffer<uint> labels) => labels.Data.Length == 0 ? 0 : (int)labels.Data.Max();

    private static bool IsInside(string path, string folder)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
