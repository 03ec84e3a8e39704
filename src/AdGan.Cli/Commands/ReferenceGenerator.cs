using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using static System.FormattableString;

namespace AdGan.Cli.Commands;

/// <summary>
/// The AD-GAN generator in PyTorch (benchmarks/reference_generator.py), run as a child process to time a whole image on the
/// same CPU; says why when Python, PyTorch or the script cannot be found.
/// </summary>
internal sealed class ReferenceGenerator(string? python, string? script)
{
    private const string ScriptPath = "benchmarks/reference_generator.py";

    /// <summary>The Python that runs the script: the one given, else Debian's /usr/bin/python3 (where python3-torch installs), else python3 on PATH.</summary>
    public string Python { get; } = python ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

    /// <summary>The script: the one given, else benchmarks/reference_generator.py in the working directory, the tool's directory or one above them; null when none exists.</summary>
    public string? Script { get; } = script ?? FindScript();

    /// <summary>The rate of the whole <paramref name="size"/>² image, or the reason there is none.</summary>
    public (double? Seconds, string Description) Measure(int size, int ngf, int threads, ComputePrecision precision, int repeats)
    {
        if (Script is null || !File.Exists(Script))
            return (null, $"not run: {Script ?? ScriptPath} not found (pass --reference)");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Script, "--size", Invariant($"{size}"), "--ngf", Invariant($"{ngf}"), "--threads", Invariant($"{threads}"),
                     "--repeats", Invariant($"{repeats}"), "--precision", precision == ComputePrecision.BFloat16Mixed ? "bf16" : "float32" })
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new IOException("the process did not start");
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string reason = error.Result.Contains("No module named 'torch'", StringComparison.Ordinal)
                    ? $"{Python} has no PyTorch (Debian: apt-get install python3-torch)"
                    : $"{Python} exited with {process.ExitCode}: {LastLine(error.Result)}";
                return (null, "not run: " + reason);
            }
            using var json = JsonDocument.Parse(LastLine(output));
            double seconds = json.RootElement.GetProperty("seconds").GetDouble();
            string version = json.RootElement.GetProperty("torch").GetString() ?? "?";
            return (seconds, Invariant($"PyTorch {version}"));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, $"not run: {Python} {Script} failed ({e.Message})");
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, ScriptPath);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
