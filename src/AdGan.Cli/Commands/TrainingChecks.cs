using System.Globalization;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>What `adgan train` checks before the first iteration, so that no finished work is lost to a setting or an output that cannot work.</summary>
internal static class TrainingChecks
{
    /// <summary>Refuses settings whose estimated peak memory exceeds <paramref name="availableBytes"/>, naming the flags that set it.</summary>
    public static void Memory(AdGanTrainerOptions options, AdGanTrainingFootprint footprint, double availableBytes)
    {
        if (footprint.PeakMemoryBytes <= availableBytes)
            return;
        string crop = options.Dimensions == 3 ? $"--depth {options.CropDepth} --crop {options.CropSize}" : $"--crop {options.CropSize}";
        throw new ArgumentException(
            $"Training with {crop}, --batch {options.BatchSize}, --ngf {options.BaseChannels} needs an estimated {Size(footprint.PeakMemoryBytes)} of memory "
            + $"({Size(footprint.ActivationBytes)} of it activations); "
            + $"{Size(availableBytes)} is available. Lower --batch, --crop{(options.Dimensions == 3 ? ", --depth" : string.Empty)} or --ngf.");
    }

    /// <summary>
    /// Refuses an --out that names a folder or lies where no file can be written, and too little free space for the model and a
    /// checkpoint (kept with the previous one while it is written); creates the folders. <paramref name="freeSpace"/> gives the bytes
    /// free at a folder (default: its drive's).
    /// </summary>
    public static void Output(string output, string checkpointDirectory, AdGanTrainingFootprint footprint, Func<string, long>? freeSpace = null)
    {
        string full = Path.GetFullPath(output);
        if (Directory.Exists(full))
            throw new IOException($"--out '{output}' is a folder; give the model file to write, e.g. '{Path.Combine(output, "model.zip")}'.");
        string folder = Path.GetDirectoryName(full)!;
        Writable(folder, $"--out '{output}'");
        Writable(checkpointDirectory, $"the checkpoints of --out '{output}'");
        freeSpace ??= FreeBytes;
        double modelNeed = footprint.ModelBytes, checkpointNeed = 2 * footprint.CheckpointBytes;
        long modelFree = freeSpace(folder), checkpointFree = freeSpace(checkpointDirectory);
        bool sameDrive = modelFree == checkpointFree;
        if (sameDrive ? modelFree < modelNeed + checkpointNeed : modelFree < modelNeed || checkpointFree < checkpointNeed)
            throw new IOException($"--out '{output}': {Size(Math.Min(modelFree, checkpointFree))} free where the model ({Size(modelNeed)}) and its checkpoints "
                + $"({Size(checkpointNeed)}) go; free some space or choose another --out.");
    }

    /// <summary>Refuses a --resume checkpoint whose tensors these options would give other shapes, naming the flags.</summary>
    public static void Resume(string checkpoint, AdGanTrainerOptions options)
    {
        var conflicts = AdGanTrainer.ResumeConflicts(checkpoint, options);
        if (conflicts.Count == 0)
            return;
        throw new ArgumentException($"--resume '{checkpoint}' was trained with other tensor shapes: "
            + string.Join(", ", conflicts.Select(c => $"{Describe(c.Option)} {c.Checkpoint} there, {c.Requested} now"))
            + ". Resume with the checkpoint's values or start a new run.");
    }

    /// <summary>Memory this process may still use: the machine's available memory, capped by a container limit.</summary>
    public static double AvailableMemoryBytes()
    {
        double limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                    return Math.Min(limit, kb * 1024.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the runtime's figure.
        }

        return limit;
    }

    private static string Describe(string option) => option switch
    {
        nameof(AdGanTrainerOptions.Dimensions) => "dimensions (--depth, the preset)",
        nameof(AdGanTrainerOptions.StyleMlpWidth) => "style MLP width (the preset)",
        _ => TrainingArguments.FlagOf(option),
    };

    private static void Writable(string folder, string what)
    {
        string probe = Path.Combine(folder, $".adgan-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{what}: cannot write in '{folder}': {e.Message}", e);
        }
    }

    private static long FreeBytes(string folder) => new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;

    private static string Size(double bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB", "PB" };
        int i = 0;
        while (bytes >= 1000 && i < units.Length - 1)
        {
            bytes /= 1000;
            i++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {units[i]}");
    }
}
