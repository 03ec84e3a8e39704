using AdGan.Samples.Pipeline;

// dotnet run -- [folder]   (the folder keeps the simulated images, labels and model.zip; default: a temporary folder)
var settings = new SampleSettings { Folder = args.Length > 0 ? Directory.CreateDirectory(args[0]).FullName : null };
var result = PipelineSample.Run(settings, Console.Out);
return result.ReloadedModelAgrees ? 0 : 1;
