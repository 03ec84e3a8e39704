using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AdGan.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Samples;

/// <summary>The segmentation service on a free loopback port: answers equal offline inference; bad bodies get 4xx reasons.</summary>
[TestClass]
public sealed class SegmentationServiceTests
{
    private const long BodyLimit = 256 * 1024;
    private static TempFolder? s_folder;
    private static AdGanSegmentationModel? s_model;
    private static WebApplication? s_app;
    private static HttpClient? s_client;
    private static int s_threads;

    private static AdGanSegmentationModel Model => s_model!;

    private static HttpClient Client => s_client!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        s_threads = torch.get_num_threads();
        torch.set_num_threads(1); // one intra-op thread: convolutions sum in a fixed order, so answers are reproducible
        s_folder = new TempFolder();
        string zip = s_folder.File("model.zip");
        var saved = Persistence.AdGanModelSerializerTests.TinyModel();
        AdGanModelFile.Save(new MLContext(1), saved, zip);
        // The service must load the zip, not find this instance in the cache (Remove disposes it).
        if (!AdGanModelCache.Remove(saved.Id))
            saved.Dispose();
        // Offline answers come from an independent instance with the same seed, hence the same weights.
        s_model = Persistence.AdGanModelSerializerTests.TinyModel();
        s_app = ServiceApp.Build(new ServiceOptions
        {
            ModelPath = zip,
            Urls = new List<string> { "http://127.0.0.1:0" },
            MaxRequestBodyBytes = BodyLimit,
            MaxConcurrentSegmentations = 4,
            MaxQueuedRequests = 32,
        });
        await s_app.StartAsync();
        s_client = new HttpClient { BaseAddress = ServiceApp.Address(s_app), Timeout = TimeSpan.FromMinutes(5) };
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_client?.Dispose();
        if (s_app is not null)
        {
            await s_app.StopAsync();
            await s_app.DisposeAsync();
        }

        s_model?.Dispose();
        s_folder?.Dispose();
        torch.set_num_threads(s_threads);
    }

    /// <summary>Request bodies: simulated images of varied sizes as 8-bit PNG, 16-bit PNG and 16-bit TIFF.</summary>
    private static byte[] Body(int index)
    {
        int h = 36 + 4 * (index % 5), w = 40 + 8 * (index % 3);
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(h, w),
            SemiAxis = (3, 6),
            CountPerImage = (2, 6),
            Seed = 100 + index,
        });
        var image = simulator.Simulate(0).Image;
        string path = s_folder!.File($"body{index}" + (index % 3 == 2 ? ".tif" : ".png"));
        MicroscopyImageWriter.Write(path, image, IntensityScaling.Raw(index % 3 == 0 ? 8 : 16));
        return File.ReadAllBytes(path);
    }

    /// <summary>What a user gets without the service: decode the same bytes, run the model, label it the default AD-GAN way.</summary>
    private static ImageBuffer<uint> Offline(byte[] body)
    {
        var image = MicroscopyImageReader.Read(new MemoryStream(body), "offline");
        var labeler = new InstanceLabeler(AdGanLabeling.For(Model.Settings));
        var decoded = new NucleusSegmenter(Model).Decode(image);
        return labeler.Label(decoded.Map, image, Model.Settings.ImageScale * decoded.ScaleFactor);
    }

    private static async Task<HttpResponseMessage> PostAsync(byte[] body, string query = "", string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/segment" + query) { Content = new ByteArrayContent(body) };
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        return await Client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [TestMethod]
    public void APerImageScaledImageIsLabelledAtItsOwnScale()
    {
        // Nuclei of semi-axis ~13 for a model trained at 6: the image is decoded at about 0.46, the model works at 1.
        var image = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(96, 96), SemiAxis = (12, 14), CountPerImage = (5, 7), Seed = 4 })
            .Simulate(0).Image;
        using var perImage = Model.WithSettings(Model.Settings with { PerImageScale = true, TrainedSemiAxis = 6 });
        var segmenter = new Segmenter(perImage);
        var decoded = new NucleusSegmenter(perImage).Decode(image);
        Assert.IsLessThan(0.7, decoded.WorkingScale);
        var labeler = new InstanceLabeler(perImage.LabelOptions);
        var atItsScale = labeler.Label(decoded.Map, image, decoded.WorkingScale);
        CollectionAssert.AreNotEqual(labeler.Label(decoded.Map, image).Data, atItsScale.Data, "the two scales must differ on this map for the test to tell them apart");
        CollectionAssert.AreEqual(atItsScale.Data, segmenter.Segment(image).Data);
    }

    [TestMethod]
    public async Task HealthReportsTheLoadedModel()
    {
        using var response = await Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.AreEqual("ok", root.GetProperty("status").GetString());
        Assert.AreNotEqual(Guid.Empty, root.GetProperty("modelId").GetGuid());
        Assert.AreEqual(2, root.GetProperty("baseChannels").GetInt32());
        Assert.AreEqual(2, root.GetProperty("dimensions").GetInt32());
    }

    [TestMethod]
    public async Task ConcurrentRequestsGetExactlyTheOfflineLabelMaps()
    {
        const int requests = 32;
        var bodies = Enumerable.Range(0, requests).Select(Body).ToArray();
        var expected = bodies.Select(Offline).ToArray();
        var answers = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await PostAsync(body);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
            Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsByteArrayAsync();
        }));

        long objects = 0;
        for (int i = 0; i < requests; i++)
        {
            var png = MicroscopyImageReader.ReadImage(answers[i], $"answer {i}");
            Assert.AreEqual(16, png.BitsPerSample, $"request {i}");
            Assert.AreEqual(expected[i].Shape, png.Image.Shape, $"request {i}");
            CollectionAssert.AreEqual(expected[i].Data, png.Image.Data.Select(v => (uint)v).ToArray(), $"request {i}");
            objects += expected[i].Data.Distinct().Count(v => v != 0);
        }

        Assert.IsGreaterThan(0L, objects, "the maps compared hold objects");
    }

    [TestMethod]
    public async Task JsonAnswersCountAreasAndCentroids()
    {
        var body = Body(4);
        var labels = Offline(body);
        foreach (var (query, accept) in new[] { ("?format=json", (string?)null), ("", "application/json") })
        {
            using var response = await PostAsync(body, query, accept);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            var ids = labels.Data.Where(v => v != 0).Distinct().Order().ToArray();
            Assert.AreEqual(ids.Length, root.GetProperty("count").GetInt32());
            Assert.AreEqual(labels.Shape.Width, root.GetProperty("width").GetInt32());
            var objects = root.GetProperty("objects").EnumerateArray().ToArray();
            Assert.HasCount(ids.Length, objects);
            for (int k = 0; k < ids.Length; k++)
            {
                var pixels = Enumerable.Range(0, labels.Data.Length).Where(i => labels.Data[i] == ids[k]).ToArray();
                Assert.AreEqual(ids[k], objects[k].GetProperty("label").GetUInt32());
                Assert.AreEqual(pixels.Length, objects[k].GetProperty("area").GetInt64());
                Assert.AreEqual(pixels.Average(i => i % labels.Shape.Width), objects[k].GetProperty("x").GetDouble(), 1e-9);
                Assert.AreEqual(pixels.Average(i => i / labels.Shape.Width), objects[k].GetProperty("y").GetDouble(), 1e-9);
                Assert.IsFalse(objects[k].TryGetProperty("z", out _), "2D objects have no z");
            }
        }
    }

    [TestMethod]
    public async Task BadBodiesGetFourHundredsWithAReasonAndDoNotDisturbOthers()
    {
        var good = Body(1);
        var pending = PostAsync(good); // in flight while the bad requests are answered

        using (var empty = await PostAsync(Array.Empty<byte>()))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, empty.StatusCode);
            StringAssert.Contains((await ProblemAsync(empty)).GetProperty("detail").GetString(), "PNG, TIFF or JPEG");
        }

        using (var garbage = await PostAsync("this is not an image"u8.ToArray()))
        {
            Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, garbage.StatusCode);
            StringAssert.Contains((await ProblemAsync(garbage)).GetProperty("detail").GetString(), "not a PNG, TIFF or JPEG");
        }

        using (var truncated = await PostAsync(good[..(good.Length / 2)]))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, truncated.StatusCode);
            StringAssert.Contains((await ProblemAsync(truncated)).GetProperty("detail").GetString(), "request body");
        }

        // Expect: 100-continue lets the server refuse by Content-Length before the client sends the body.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/segment") { Content = new ByteArrayContent(new byte[BodyLimit + 1]) })
        {
            request.Headers.ExpectContinue = true;
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var oversized = await Client.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
            StringAssert.Contains((await ProblemAsync(oversized)).GetProperty("detail").GetString(), "limit");
        }

        using var answer = await pending;
        Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode);
        var labels = MicroscopyImageReader.Read(new MemoryStream(await answer.Content.ReadAsByteArrayAsync()), "answer");
        CollectionAssert.AreEqual(Offline(good).Data, labels.Data.Select(v => (uint)v).ToArray());
    }
}
