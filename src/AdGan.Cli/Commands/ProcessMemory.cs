using System.Diagnostics;
using System.Globalization;

namespace AdGan.Cli.Commands;

/// <summary>Memory of this process as Linux reports it in /proc/self/status, for the speed and memory benchmarks.</summary>
internal static class ProcessMemory
{
    /// <summary>Resident set size now (VmRSS, else the working set) in MiB.</summary>
    public static double ResidentMiB()
    {
        var rss = StatusMiB("VmRSS:");
        if (!double.IsNaN(rss))
            return rss;
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    /// <summary>Peak resident set size (VmHWM) in MiB; NaN where unavailable.</summary>
    public static double PeakMiB() => StatusMiB("VmHWM:");

    /// <summary>The kB value of the /proc/self/status line starting with <paramref name="key"/>, in MiB; NaN where unavailable.</summary>
    private static double StatusMiB(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return double.Parse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return double.NaN;
    }
}
