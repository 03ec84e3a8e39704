using System.Globalization;
using AdGan.Samples.Pipeline;

// dotnet run -- [folder] [--like-demo] [--threads N] [--iterations N]
//   folder: keeps the simulated images, labels and model.zip (default: a temporary folder)
//   --like-demo: the data and training of `adgan demo` (12 + 4 images of 256 x 256, 500 iterations, no time limit)
//   --iterations: total training iterations (like-demo: as `adgan demo --iterations`; otherwise three quarters constant, a quarter decaying)
int? Value(string name) => Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
string? folder = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal) || args[i - 1] == "--like-demo")).FirstOrDefault();
int? threads = Value("--threads"), iterations = Value("--iterations");
var settings = args.Contains("--like-demo") ? SampleSettings.LikeDemo(threads, iterations) : new SampleSettings { Threads = threads };
if (!args.Contains("--like-demo") && iterations is int total)
{
    settings.Iterations = total - total / 4;
    settings.DecayIterations = total / 4;
}
settings.Folder = folder is null ? null : Directory.CreateDirectory(folder).FullName;
var result = PipelineSample.Run(settings, Console.Out);
return result.ReloadedModelAgrees ? 0 : 1;
