using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Service;

/// <summary>Settings of the <c>--bench</c> mode.</summary>
public sealed class BenchmarkSettings
{
    /// <summary>Base channel count (ngf) of the untrained model benchmarked.</summary>
    public int BaseChannels { get; set; } = 64;

    /// <summary>Concurrent HTTP clients (and segmentations the service runs at once).</summary>
    public int Clients { get; set; } = 8;

    /// <summary>Total requests over all clients.</summary>
    public int Requests { get; set; } = 64;

    /// <summary>Side of the square test images.</summary>
    public int Size { get; set; } = 256;

    /// <summary>Torch intra-op threads (concurrency comes from the requests).</summary>
    public int TorchThreads { get; set; } = 1;

    /// <summary>Reads <c>--ngf</c>, <c>--clients</c>, <c>--requests</c>, <c>--size</c> and <c>--torch-threads</c>.</summary>
    public static BenchmarkSettings Parse(string[] args)
    {
        var s = new BenchmarkSettings();
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                continue;
            switch (args[i])
            {
                case "--ngf": s.BaseChannels = v; break;
                case "--clients": s.Clients = v; break;
                case "--requests": s.Requests = v; break;
                case "--size": s.Size = v; break;
                case "--torch-threads": s.TorchThreads = v; break;
            }
        }

        return s;
    }
}

/// <summary>
/// Throughput and memory of the service over loopback: an untrained model of the given width is saved, loaded by the service
/// once, and concurrent clients post simulated images. Peak memory (VmHWM) is read after one request and after the
/// concurrent run: with shared weights the concurrent peak grows by activations per request, not by copies of the weights.
/// </summary>
public static class ServiceBenchmark
{
    /// <summary>Runs the benchmark and writes a report; returns the process exit code.</summary>
    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        torch.set_num_threads(settings.TorchThreads);
        string folder = Directory.CreateTempSubdirectory("adgan-bench-").FullName;
        try
        {
            string zip = Path.Combine(folder, "model.zip");
            long weightBytes = SaveUntrainedModel(settings.BaseChannels, zip);
            var bodies = SimulatedPngs(settings.Size, Math.Min(settings.Requests, 16), folder);
            GC.Collect();
            bool reset = ResetPeak();
            long beforeLoad = Status("VmRSS");

            await using var app = ServiceApp.Build(new ServiceOptions
            {
                ModelPath = zip,
                Urls = new List<string> { "http://127.0.0.1:0" },
                MaxConcurrentSegmentations = settings.Clients,
            });
            await app.StartAsync();
            var address = ServiceApp.Address(app);
            long loaded = Status("VmRSS");
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };

            var single = Stopwatch.StartNew();
            await PostAsync(client, bodies[0]);
            single.Stop();
            long peakOne = Status("VmHWM");

            int next = -1;
            var total = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < settings.Requests)
                    await PostAsync(client, bodies[i % bodies.Count]);
            })).ToArray();
            await Task.WhenAll(workers);
            total.Stop();
            long peakAll = Status("VmHWM");
            await app.StopAsync();

            double mb = 1024 * 1024;
            log.WriteLine($"AD-GAN service benchmark: ngf {settings.BaseChannels}, {settings.Size}x{settings.Size} 8-bit PNG, {settings.Clients} clients, {settings.Requests} requests, torch threads {settings.TorchThreads}, {Environment.ProcessorCount} cores");
            log.WriteLine($"  weights (encoder + decoder parameters):  {weightBytes / mb,8:F1} MiB; model zip {new FileInfo(zip).Length / mb:F1} MiB");
            log.WriteLine($"  RSS before loading / after loading:      {beforeLoad / mb,8:F1} / {loaded / mb:F1} MiB");
            log.WriteLine($"  one request: {single.Elapsed.TotalSeconds:F2} s; peak RSS (VmHWM) {peakOne / mb:F1} MiB{(reset ? "" : " (peak not reset: includes model creation)")}");
            log.WriteLine($"  concurrent:  {settings.Requests / total.Elapsed.TotalSeconds:F2} requests/s ({total.Elapsed.TotalSeconds:F1} s); peak RSS (VmHWM) {peakAll / mb:F1} MiB");
            double perRequest = (peakAll - loaded) / (double)settings.Clients;
            log.WriteLine($"  peak growth per in-flight request: {perRequest / mb:F1} MiB (one request alone: {(peakOne - loaded) / mb:F1} MiB); {settings.Clients} weight copies would add {(settings.Clients - 1) * weightBytes / mb:F1} MiB");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task PostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync(new Uri("/segment", UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /segment answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    }

    private static long SaveUntrainedModel(int ngf, string zip)
    {
        // Untrained weights segment nothing useful but cost the same time and memory as trained ones.
        var model = new AdGanSegmentationModel(new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = ngf, Seed = 1 }), new AdGanInferenceSettings { BaseChannels = ngf });
        long bytes = model.Networks.GeneratorParameters().Sum(p => p.numel() * p.element_size());
        AdGanModelFile.Save(new MLContext(), model, zip);
        // Make the service load the zip rather than find this instance in the cache (Remove disposes a cached model).
        if (!AdGanModelCache.Remove(model.Id))
            model.Dispose();
        return bytes;
    }

    private static List<byte[]> SimulatedPngs(int size, int count, string folder)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(size, size), SemiAxis = (5, 10), CountPerImage = (10, 30), Seed = 3 });
        var bodies = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(folder, $"image{i}.png");
            MicroscopyImageWriter.Write(path, simulator.Simulate(i).Image, IntensityScaling.Raw(8));
            bodies.Add(File.ReadAllBytes(path));
        }

        return bodies;
    }

    /// <summary>Resets VmHWM to the current RSS (Linux: "5" to /proc/self/clear_refs); false where that is not possible.</summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A memory figure of /proc/self/status in bytes (0 off Linux).</summary>
    private static long Status(string key)
    {
        if (!File.Exists("/proc/self/status"))
            return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        return 0;
    }
}
