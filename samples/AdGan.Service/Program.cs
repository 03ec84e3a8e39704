using AdGan.Service;

// Segmentation service:  dotnet AdGan.Service.dll --model model.zip --urls http://127.0.0.1:5000
// Benchmark (no model needed): dotnet AdGan.Service.dll --bench [--ngf 64] [--clients 8] [--requests 64] [--size 256]
if (args.Contains("--bench"))
    return await ServiceBenchmark.RunAsync(BenchmarkSettings.Parse(args), Console.Out);

var app = ServiceApp.BuildFromArgs(args);
await app.RunAsync();
return 0;
