using AdGan.Samples.Pipeline;

// dotnet run -- [folder] [--like-demo] [--threads N]
//   folder: keeps the simulated images, labels and model.zip (default: a temporary folder)
//   --like-demo: the data and training of `adgan demo` (12 + 4 images of 256 x 256, 500 iterations, no time limit)
string? folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _));
int threadsAt = Array.IndexOf(args, "--threads");
int? threads = threadsAt >= 0 && threadsAt + 1 < args.Length ? int.Parse(args[threadsAt + 1], System.Globalization.CultureInfo.InvariantCulture) : null;
var settings = args.Contains("--like-demo") ? SampleSettings.LikeDemo(threads) : new SampleSettings { Threads = threads };
settings.Folder = folder is null ? null : Directory.CreateDirectory(folder).FullName;
var result = PipelineSample.Run(settings, Console.Out);
return result.ReloadedModelAgrees ? 0 : 1;
