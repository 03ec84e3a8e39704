namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// Whether this CPU computes bfloat16 in hardware (AVX-512-BF16 or AMX). Without it libtorch emulates bfloat16, and
/// <see cref="ComputePrecision.BFloat16Mixed"/> runs slower than float32 instead of faster.
/// </summary>
public static class BFloat16Support
{
    private static readonly Lazy<bool> Native = new(DetectNative);

    /// <summary>True when the CPU has AVX-512-BF16 or AMX-BF16 (read from /proc/cpuinfo on Linux; false where that cannot be read).</summary>
    public static bool IsNative => Native.Value;

    /// <summary>A warning for a request of <paramref name="precision"/> on this CPU, or null when there is nothing to warn about.</summary>
    public static string? SlowWarning(ComputePrecision precision) =>
        precision == ComputePrecision.BFloat16Mixed && !IsNative
            ? "Warning: bfloat16-mixed precision was requested, but this CPU has no native bfloat16 (no AVX-512-BF16 or AMX, or they could not be detected): " +
              "libtorch emulates it, so training and inference will be much slower than in float32, not faster. Use float32 here."
            : null;

    /// <summary>Whether the flags lines of a /proc/cpuinfo text list a native bfloat16 instruction set.</summary>
    internal static bool HasNativeFlags(IEnumerable<string> cpuinfoLines) =>
        cpuinfoLines.Where(l => l.StartsWith("flags", StringComparison.Ordinal))
            .SelectMany(l => l.Split(new[] { ' ', '\t', ':' }, StringSplitOptions.RemoveEmptyEntries))
            .Any(flag => flag is "avx512_bf16" or "amx_bf16");

    private static bool DetectNative()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return HasNativeFlags(File.ReadLines("/proc/cpuinfo"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
