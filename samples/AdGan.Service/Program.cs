using AdGan.Service;

// Segmentation service:  dotnet AdGan.Service.dll --model model.zip --urls http://127.0.0.1:5000
//                        dotnet AdGan.Service.dll --runtime onnx --model model.onnx --urls http://127.0.0.1:5000
// Benchmark (no model needed): dotnet AdGan.Service.dll --bench [--ngf 64] [--clients 8] [--requests 64] [--size 256]
if (args.Contains("--bench"))
    return await ServiceBenchmark.RunAsync(BenchmarkSettings.Parse(args), Console.Out);

WebApplication app;
try
{
    app = ServiceApp.BuildFromArgs(args);
}
catch (Exception e)
{
    // A bad setting or model is reported in one line and a distinct exit code, never as an unhandled exception.
    Console.Error.WriteLine($"error: {StartupError.Describe(e)}");
    return StartupError.ExitCode;
}

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    Console.Error.WriteLine($"error: the service could not listen: {e.Message}");
    return StartupError.ListenExitCode;
}
Console.WriteLine($"AdGan.Service listening on {string.Join(", ", app.Urls)}");
await app.WaitForShutdownAsync();
return 0;
