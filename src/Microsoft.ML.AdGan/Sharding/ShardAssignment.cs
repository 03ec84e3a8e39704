using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Microsoft.ML.AdGan.Sharding;

/// <summary>
/// One shard of a collection split over <see cref="Count"/> independent jobs: shard <see cref="Index"/> (0-based) takes
/// the files whose relative path hashes to it. The hash is the first 8 bytes (big-endian) of the SHA-256 of the path's
/// UTF-8 bytes (separators '/', Unicode NFC), modulo <see cref="Count"/>, so the same path lands in the same shard on every
/// machine, process and language; shards never overlap, and adding files never moves the others (changing the count does).
/// </summary>
public sealed record ShardAssignment
{
    /// <summary>Kubernetes Indexed Jobs set this to the pod's completion index (0-based).</summary>
    public const string KubernetesIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>Slurm job arrays set this to the task's array index.</summary>
    public const string SlurmTaskIdVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>Slurm's smallest array index (arrays often start at 1).</summary>
    public const string SlurmTaskMinVariable = "SLURM_ARRAY_TASK_MIN";

    /// <summary>Slurm's array step (<c>--array=0-30:10</c>); 1 when not set.</summary>
    public const string SlurmTaskStepVariable = "SLURM_ARRAY_TASK_STEP";

    /// <summary>Slurm's number of tasks in the array, checked against the shard count when set.</summary>
    public const string SlurmTaskCountVariable = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Shard <paramref name="index"/> (0-based) of <paramref name="count"/>.</summary>
    public ShardAssignment(int index, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The shard count must be at least 1.");
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The shard index must lie in 0..{count - 1} (0-based) for {count} shards.");
        Index = index;
        Count = count;
    }

    /// <summary>The whole collection as one shard.</summary>
    public static ShardAssignment All { get; } = new(0, 1);

    /// <summary>This shard's index, 0-based.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>Whether the file at <paramref name="relativePath"/> belongs to this shard.</summary>
    public bool Contains(string relativePath) => ShardOf(relativePath, Count) == Index;

    /// <summary>The files of <paramref name="relativePaths"/> that belong to this shard, in their given order.</summary>
    public IEnumerable<string> Select(IEnumerable<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        return relativePaths.Where(Contains);
    }

    /// <summary>A file name for this shard's summary that no other shard uses, e.g. <c>summary.shard-3-of-16.json</c>.</summary>
    public string SummaryFileName => string.Create(CultureInfo.InvariantCulture, $"summary.shard-{Index}-of-{Count}.json");

    /// <summary>"index/count", the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>The shard (0..<paramref name="count"/>-1) of a file, from its path relative to the collection's root.</summary>
    public static int ShardOf(string relativePath, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The shard count must be at least 1.");
        var bytes = Encoding.UTF8.GetBytes(NormalizePath(relativePath));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>The form of a relative path that is hashed: '/' separators, no leading "./", Unicode NFC.</summary>
    public static string NormalizePath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var path = relativePath.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
            path = path[2..];
        if (path.Length == 0 || path.StartsWith('/') || Path.IsPathRooted(relativePath))
            throw new ArgumentException($"'{relativePath}' is not a path relative to the collection's root.", nameof(relativePath));
        return path.Normalize(NormalizationForm.FormC);
    }

    /// <summary>Parses "index/count" with a 0-based index, e.g. "0/4" to "3/4".</summary>
    public static ShardAssignment Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !TryParseCount(parts[0], out int index) || !TryParseCount(parts[1], out int count))
            throw new ArgumentException($"Shard '{text}' is not of the form index/count (e.g. 0/4; the index is 0-based).", nameof(text));
        if (count < 1 || index >= count)
            throw new ArgumentException($"Shard '{text}': the index must lie in 0..count-1 (0-based) and the count be at least 1.", nameof(text));
        return new ShardAssignment(index, count);
    }

    /// <summary>
    /// This job's shard of <paramref name="count"/>, from the index a scheduler sets: <see cref="KubernetesIndexVariable"/>
    /// (Kubernetes Indexed Jobs, 0-based) or <see cref="SlurmTaskIdVariable"/> (Slurm arrays: its offset from
    /// <see cref="SlurmTaskMinVariable"/> in steps of <see cref="SlurmTaskStepVariable"/>). <paramref name="environment"/>
    /// reads a variable (default: the process's environment). Throws naming the variable when it is missing or wrong.
    /// </summary>
    public static ShardAssignment FromEnvironment(int count, Func<string, string?>? environment = null)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The shard count must be at least 1.");
        environment ??= Environment.GetEnvironmentVariable;
        string? kubernetes = Value(environment, KubernetesIndexVariable);
        string? slurm = Value(environment, SlurmTaskIdVariable);
        if (kubernetes is not null && slurm is not null)
            throw new ArgumentException($"Both {KubernetesIndexVariable} ({kubernetes}) and {SlurmTaskIdVariable} ({slurm}) are set; give the shard explicitly as index/count.");
        if (kubernetes is not null)
            return Checked(Integer(KubernetesIndexVariable, kubernetes), count, $"{KubernetesIndexVariable}={kubernetes}", "set the Job's completions and parallelism to the shard count");
        if (slurm is null)
            throw new ArgumentException($"No shard index: give it as index/count, or run as a Kubernetes Indexed Job ({KubernetesIndexVariable}) or a Slurm array ({SlurmTaskIdVariable}).");

        int id = Integer(SlurmTaskIdVariable, slurm);
        string? minText = Value(environment, SlurmTaskMinVariable)
            ?? throw new ArgumentException($"{SlurmTaskIdVariable} is set ({slurm}) but {SlurmTaskMinVariable} is not, so the array's first index is unknown.");
        int min = Integer(SlurmTaskMinVariable, minText);
        string? stepText = Value(environment, SlurmTaskStepVariable);
        int step = stepText is null ? 1 : Integer(SlurmTaskStepVariable, stepText);
        if (step < 1)
            throw new ArgumentException($"{SlurmTaskStepVariable} is {stepText}; the array step must be at least 1.");
        if (Value(environment, SlurmTaskCountVariable) is string countText && Integer(SlurmTaskCountVariable, countText) != count)
            throw new ArgumentException($"{SlurmTaskCountVariable} is {countText} but the shard count is {count}; the array must have one task per shard.");
        if (id < min || (id - min) % step != 0)
            throw new ArgumentException($"{SlurmTaskIdVariable}={slurm} is not on the array's grid ({SlurmTaskMinVariable}={min}, step {step}).");
        return Checked((id - min) / step, count, $"{SlurmTaskIdVariable}={slurm} ({SlurmTaskMinVariable}={min}, step {step})", "make the array one task per shard, e.g. --array=0-" + (count - 1));
    }

    private static ShardAssignment Checked(int index, int count, string source, string hint)
    {
        if (index >= count)
            throw new ArgumentException($"{source} gives shard index {index}, but there are only {count} shards (0..{count - 1}); {hint}.");
        return new ShardAssignment(index, count);
    }

    private static string? Value(Func<string, string?> environment, string name)
    {
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static int Integer(string variable, string value)
    {
        if (!TryParseCount(value, out int result))
            throw new ArgumentException($"{variable} is '{value}', not a non-negative integer.");
        return result;
    }

    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
