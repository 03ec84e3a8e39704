using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using AdGan.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Samples;

/// <summary>
/// The service under hostile load, on an in-memory test server with ONNX Runtime: decompression bombs, a full queue, bad
/// bodies, time limits, disconnects and shutdown; and as a child process: start-up errors, no libtorch, SIGTERM.
/// </summary>
[TestClass]
public sealed class ServiceFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static TempFolder? s_folder;
    private static string s_tiny = "";
    private static string s_slow = "";

    [ClassInitialize]
    public static void ExportModels(TestContext context)
    {
        _ = context;
        s_folder = new TempFolder();
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        s_tiny = s_folder.File("tiny.onnx");
        AdGanOnnxExporter.Export(model, s_tiny);
        // Tiles of 8 pixels, four flips each: thousands of network runs per image, so work is long enough to interrupt.
        using var slow = model.WithSettings(model.Settings with { Tiling = new TilingOptions { TileSize = 8 }, TestTimeAugmentation = true });
        s_slow = s_folder.File("slow.onnx");
        AdGanOnnxExporter.Export(slow, s_slow);
    }

    [ClassCleanup]
    public static void DeleteModels() => s_folder?.Dispose();

    private static ServiceOptions Options(string model, int slots = 1, int queue = 2) => new()
    {
        ModelPath = model,
        Runtime = ServiceRuntime.Onnx,
        OnnxThreads = 1,
        MaxConcurrentSegmentations = slots,
        MaxQueuedRequests = queue,
        MaxRequestBodyBytes = 4 << 20,
        RetryAfterSeconds = 2,
    };

    private static async Task<WebApplication> StartAsync(ServiceOptions options)
    {
        var app = ServiceApp.Build(options, configure: b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    private static ImageBuffer<float> Simulated(int side, int seed = 7) => new MicroscopySimulator(new MicroscopySimulationOptions
    {
        Shape = ImageShape.Of2D(side, side),
        SemiAxis = (3, 6),
        CountPerImage = (2, 6),
        Seed = seed,
    }).Simulate(0).Image;

    private static byte[] Body(int side, int seed = 7) => ServiceBodies.Png(Simulated(side, seed), s_folder!, $"body-{side}-{seed}");

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content, string query = "", CancellationToken cancellation = default)
        => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/segment" + query) { Content = content }, cancellation);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.AreEqual(status, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await ProblemAsync(response)).GetProperty("detail").GetString()!;
    }

    /// <summary>Polls /ready until <paramref name="condition"/> holds for its JSON (running, waiting, status).</summary>
    private static async Task<JsonElement> ReadyWhenAsync(HttpClient client, Func<JsonElement, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (condition(json.RootElement))
                return json.RootElement.Clone();
            if (clock.Elapsed > Patience)
                Assert.Fail($"/ready never showed {what}; last: {json.RootElement}");
            await Task.Delay(20);
        }
    }

    private static ImageBuffer<uint> Offline(string model, byte[] body)
    {
        using var network = new OnnxSegmentationNetwork(model, new OnnxSegmentationNetworkOptions { Threads = 1 });
        return network.CreateSegmenter().Segment(MicroscopyImageReader.Read(new MemoryStream(body), "offline")).Labels;
    }

    [TestMethod]
    public async Task BombsInTheQueueAreRefusedByTheBudgetAndANormalRequestIsAnswered()
    {
        var options = Options(s_tiny, slots: 1, queue: 3);
        options.MaxPixels = 128 * 128;
        await using var app = await StartAsync(options);
        using var client = app.GetTestClient();
        var bombs = new[] { ServiceBodies.PngOfZeros(4096, 4096), ServiceBodies.TiffOfZeros(4096, 4096), ServiceBodies.PngOfZeros(3000, 5000) };
        Assert.IsTrue(bombs.All(b => b.Length < 64 * 1024), "the bombs are small bodies");
        var normal = Body(64);

        // The bombs take the slot's and the queue's places (their uploads held open), then the normal request the last one.
        var held = bombs.Select(b => new HeldContent(b)).ToArray();
        var bombAnswers = held.Select(c => PostAsync(client, c)).ToArray();
        await ReadyWhenAsync(client, r => r.GetProperty("waiting").GetInt32() + r.GetProperty("running").GetInt32() == 3, "three admitted bombs");
        var normalContent = new HeldContent(normal);
        var normalAnswer = PostAsync(client, normalContent, "?format=png");
        var full = await ReadyWhenAsync(client, r => r.GetProperty("status").GetString() == "full", "a full queue");
        Assert.AreEqual(1, full.GetProperty("slots").GetInt32());

        using (var refused = await PostAsync(client, new ByteArrayContent(normal)))
        {
            StringAssert.Contains(await DetailAsync(refused, HttpStatusCode.ServiceUnavailable), "queue");
            Assert.AreEqual(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        }
        using (var notReady = await client.GetAsync(new Uri("/ready", UriKind.Relative)))
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        using (var alive = await client.GetAsync(new Uri("/health", UriKind.Relative)))
            Assert.AreEqual(HttpStatusCode.OK, alive.StatusCode, "a full service is still alive");

        foreach (var content in held)
            content.Release();
        normalContent.Release();
        foreach (var answer in bombAnswers)
        {
            using var response = await answer;
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.RequestEntityTooLarge), "pixel budget");
        }
        using (var answered = await normalAnswer)
        {
            Assert.AreEqual(HttpStatusCode.OK, answered.StatusCode, await answered.Content.ReadAsStringAsync());
            var labels = MicroscopyImageReader.Read(new MemoryStream(await answered.Content.ReadAsByteArrayAsync()), "answer");
            CollectionAssert.AreEqual(Offline(s_tiny, normal).Data, labels.Data.Select(v => (uint)v).ToArray());
        }
        await ReadyWhenAsync(client, r => r.GetProperty("status").GetString() == "ready", "room again");
    }

    [TestMethod]
    public async Task UnknownFormatsTinyImagesNonFinitePixelsAndNonImagesGetFourHundreds()
    {
        await using var app = await StartAsync(Options(s_tiny));
        using var client = app.GetTestClient();
        var good = Body(40);

        using (var response = await PostAsync(client, new ByteArrayContent(good), "?format=xml"))
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.BadRequest), "'xml'");
        using (var response = await PostAsync(client, new ByteArrayContent(ServiceBodies.Png(new ImageBuffer<float>(Enumerable.Range(0, 9).Select(i => (float)i).ToArray(), ImageShape.Of2D(3, 3)), s_folder!, "tiny"))))
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.BadRequest), "at least 4 x 4");
        var values = Enumerable.Range(0, 16 * 16).Select(i => (float)i).ToArray();
        values[37] = float.NaN;
        using (var response = await PostAsync(client, new ByteArrayContent(ServiceBodies.FloatTiff(16, 16, values))))
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.BadRequest), "NaN");
        using (var response = await PostAsync(client, new ByteArrayContent("GIF89a not supported"u8.ToArray())))
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.UnsupportedMediaType), "PNG, TIFF or JPEG");
        using (var response = await PostAsync(client, new ByteArrayContent(Array.Empty<byte>())))
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        using (var response = await PostAsync(client, new ByteArrayContent(new byte[(4 << 20) + 1])))
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.RequestEntityTooLarge), "--max-body");
    }

    /// <summary>curl --data-binary sends application/x-www-form-urlencoded; the body's bytes decide, and JPEG is accepted.</summary>
    [TestMethod]
    public async Task BodiesAreRecognisedByTheirBytesWhateverTheContentType()
    {
        await using var app = await StartAsync(Options(s_tiny));
        using var client = app.GetTestClient();
        var png = Body(48);
        var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using (var response = await PostAsync(client, content))
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
            var labels = MicroscopyImageReader.Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), "answer");
            CollectionAssert.AreEqual(Offline(s_tiny, png).Data, labels.Data.Select(v => (uint)v).ToArray());
        }

        var image = Simulated(48);
        float max = image.Data.Max();
        using var jpeg = new MemoryStream();
        using (var grey = new Image<L8>(48, 48))
        {
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 48; x++)
                    grey[x, y] = new L8((byte)(255 * image.Data[y * 48 + x] / max));
            grey.SaveAsJpeg(jpeg);
        }
        var jpegContent = new ByteArrayContent(jpeg.ToArray());
        jpegContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using (var response = await PostAsync(client, jpegContent, "?format=json"))
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.AreEqual(48, json.RootElement.GetProperty("width").GetInt32());
        }
    }

    [TestMethod]
    public async Task TheTimeLimitStopsTheWorkAndAnswers503()
    {
        var options = Options(s_slow);
        options.RequestTimeoutSeconds = 0.5;
        await using var app = await StartAsync(options);
        using var client = app.GetTestClient();
        using (var response = await PostAsync(client, new ByteArrayContent(Body(384))))
        {
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.ServiceUnavailable), "--timeout");
            Assert.AreEqual("Time limit exceeded", (await ProblemAsync(response)).GetProperty("title").GetString());
        }
        var ready = await ReadyWhenAsync(client, _ => true, "an answer");
        Assert.AreEqual(0, ready.GetProperty("running").GetInt32(), "the answer came after the work had stopped");
    }

    [TestMethod]
    public async Task AClientThatDisconnectsStopsItsSegmentation()
    {
        await using var app = await StartAsync(Options(s_slow));
        using var client = app.GetTestClient();
        using var disconnect = new CancellationTokenSource();
        // About a million network runs: minutes of work unless the disconnect stops it.
        var pending = PostAsync(client, new ByteArrayContent(Body(1024)), cancellation: disconnect.Token);
        await ReadyWhenAsync(client, r => r.GetProperty("running").GetInt32() == 1, "the segmentation running");
        disconnect.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => (await pending).Dispose());
        await ReadyWhenAsync(client, r => r.GetProperty("running").GetInt32() == 0, "the segmentation stopped");
    }

    [TestMethod]
    public async Task ShutdownSendsWaitingRequestsAwayAndStopsRunningOnesAfterTheDrainTime()
    {
        var options = Options(s_slow, slots: 1, queue: 1);
        options.DrainSeconds = 0.2;
        var app = await StartAsync(options);
        var admission = app.Services.GetRequiredService<SegmentationAdmission>();
        using var client = app.GetTestClient();
        var running = PostAsync(client, new ByteArrayContent(Body(1024)));
        await ReadyWhenAsync(client, r => r.GetProperty("running").GetInt32() == 1, "the segmentation running");
        var waiting = PostAsync(client, new ByteArrayContent(Body(40)));
        await ReadyWhenAsync(client, r => r.GetProperty("waiting").GetInt32() == 1, "a request waiting");

        var stopping = app.StopAsync();
        using (var response = await waiting)
        {
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.ServiceUnavailable), "shutting down");
            Assert.IsNotNull(response.Headers.RetryAfter);
        }
        try
        {
            using var response = await running;
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.ServiceUnavailable), "drain time");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // The test server may abort a request still open when it stops; either way the work must have stopped.
        }
        await stopping;
        var clock = Stopwatch.StartNew();
        while (admission.Running > 0 && clock.Elapsed < Patience)
            await Task.Delay(20);
        Assert.AreEqual(0, admission.Running, "the running segmentation stopped");
        Assert.IsTrue(admission.Draining);
        await app.DisposeAsync();
    }

    [TestMethod]
    public void ABadModelEndsTheServiceWithAMessageAndExitCode2()
    {
        string notOnnx = s_folder!.File("text.onnx");
        File.WriteAllText(notOnnx, "not a graph");
        foreach (var (args, expected) in new[]
        {
            ($"--model {s_folder.File("missing.zip")}", "does not exist"),
            ($"--model {notOnnx}", "--runtime onnx"),
            ($"--runtime onnx --model {notOnnx}", "could not be loaded by ONNX Runtime"),
            ($"--runtime tensorflow --model {notOnnx}", "--runtime 'tensorflow'"),
        })
        {
            using var service = ServiceProcess.Start(args + " --urls http://127.0.0.1:0");
            Assert.IsTrue(service.WaitForExit(Patience), args);
            string errors = service.Errors;
            Assert.AreEqual(2, service.Process.ExitCode, $"{args}: {errors}");
            StringAssert.Contains(errors, "error: ");
            StringAssert.Contains(errors, expected);
            Assert.IsFalse(errors.Contains("Unhandled", StringComparison.Ordinal), errors);
        }
    }

    /// <summary>
    /// The service as its own process on ONNX Runtime: after a segmentation, its memory maps hold ONNX Runtime and no
    /// libtorch; SIGTERM during a long segmentation drains it (the request gets 503) and the process exits with 0.
    /// </summary>
    [TestMethod]
    public async Task TheOnnxServiceLoadsNoLibtorchAndDrainsOnSigterm()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("/proc/<pid>/maps and SIGTERM are Linux's.");
        using var service = ServiceProcess.Start($"--runtime onnx --model {s_slow} --onnx-threads 1 --max-concurrency 1 --drain 1 --urls http://127.0.0.1:0");
        var address = service.WaitForAddress(Patience);
        using var client = new HttpClient { BaseAddress = address, Timeout = Patience };
        using (var small = await PostAsync(client, new ByteArrayContent(Body(16))))
            Assert.AreEqual(HttpStatusCode.OK, small.StatusCode, await small.Content.ReadAsStringAsync());

        string maps = File.ReadAllText($"/proc/{service.Process.Id}/maps");
        StringAssert.Contains(maps, "libonnxruntime", "the service did run ONNX Runtime");
        Assert.IsFalse(maps.Contains("libtorch", StringComparison.OrdinalIgnoreCase), "libtorch is mapped into the ONNX service");
        Assert.IsFalse(maps.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase), "TorchSharp's native binding is mapped into the ONNX service");

        var longRequest = PostAsync(client, new ByteArrayContent(Body(1024)));
        await ReadyWhenAsync(client, r => r.GetProperty("running").GetInt32() == 1, "the segmentation running");
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGTERM");
        Assert.AreEqual(0, Kill(service.Process.Id, 15), "SIGTERM sent");
        using (var response = await longRequest)
            StringAssert.Contains(await DetailAsync(response, HttpStatusCode.ServiceUnavailable), "drain time");
        double answered = clock.Elapsed.TotalSeconds;
        Assert.IsTrue(service.WaitForExit(Patience), "the service exits after SIGTERM");
        Console.WriteLine($"SIGTERM to the 503: {answered:F2} s; to exit: {clock.Elapsed.TotalSeconds:F2} s (drain 1 s)");
        Console.WriteLine(service.Output);
        Assert.AreEqual(0, service.Process.ExitCode, service.Errors);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The service's own executable (AdGan.Service.dll beside the tests) as a child process, its output collected.</summary>
    private sealed class ServiceProcess : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly System.Text.StringBuilder _errors = new();
        private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ServiceProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                    return _output.ToString();
            }
        }

        public string Errors
        {
            get
            {
                lock (_errors)
                    return _errors.ToString();
            }
        }

        public static ServiceProcess Start(string arguments)
        {
            var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "AdGan.Service.dll")}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var service = new ServiceProcess(new Process { StartInfo = info });
            service.Process.OutputDataReceived += (_, e) => service.OnOutput(e.Data);
            service.Process.ErrorDataReceived += (_, e) =>
            {
                lock (service._errors)
                    service._errors.AppendLine(e.Data);
            };
            service.Process.Start();
            service.Process.BeginOutputReadLine();
            service.Process.BeginErrorReadLine();
            return service;
        }

        /// <summary>Waits for the process to exit and then for the last of its output (a timed wait alone may return first).</summary>
        public bool WaitForExit(TimeSpan patience)
        {
            if (!Process.WaitForExit(patience))
                return false;
            Process.WaitForExit();
            return true;
        }

        public Uri WaitForAddress(TimeSpan patience)
        {
            if (!_address.Task.Wait(patience))
                Assert.Fail($"the service did not report its address: {_output} {Errors}");
            return _address.Task.Result;
        }

        private void OnOutput(string? line)
        {
            if (line is null)
                return;
            lock (_output)
                _output.AppendLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            const string marker = "AdGan.Service listening on ";
            if (line.StartsWith(marker, StringComparison.Ordinal))
                _address.TrySetResult(new Uri(line[marker.Length..].Split(',')[0].Trim()));
        }

        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
