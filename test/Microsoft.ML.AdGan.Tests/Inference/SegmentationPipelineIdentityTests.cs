using System.Text.Json;
using AdGan.Cli.Commands;
using AdGan.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.AdGan.Tests.Training;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;
using Microsoft.ML.AdGan.Tools.Benchmarks;

namespace Microsoft.ML.AdGan.Tests.Inference;

/// <summary>
/// One model, one torch thread, a few single-page images: the ML.NET pipeline's label maps, <c>adgan segment</c>'s files, the
/// service's answers and the quality benchmark's scored maps are the same pixel for pixel, since all of them run
/// <see cref="NucleusSegmenter"/>; volumes likewise between the paths that take volumes.
/// </summary>
[TestClass]
public sealed class SegmentationPipelineIdentityTests
{
    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static T OnOneThread<T>(Func<T> body)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            return body();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Images of several sizes and formats (one below the network's minimum side), with simulated truth.</summary>
    private static string[] WriteImages(TempFolder folder)
    {
        Directory.CreateDirectory(folder.File("images"));
        Directory.CreateDirectory(folder.File("truth"));
        var cases = new[] { ("a", 40, 52, ".png", 8), ("b", 37, 45, ".png", 16), ("c", 66, 70, ".tif", 16), ("d", 6, 7, ".png", 8) };
        foreach (var (name, h, w, extension, bits) in cases)
        {
            var simulated = new MicroscopySimulator(new MicroscopySimulationOptions
            {
                Shape = ImageShape.Of2D(h, w),
                SemiAxis = (3, 6),
                CountPerImage = (2, 6),
                Seed = name[0],
            }).Simulate(0);
            MicroscopyImageWriter.Write(folder.File($"images/{name}{extension}"), simulated.Image, IntensityScaling.Raw(bits));
            MicroscopyImageWriter.WriteLabels(folder.File($"truth/{name}.png"), simulated.Labels);
        }
        return cases.Select(c => c.Item1).ToArray();
    }

    private static Dictionary<string, ImageBuffer<uint>> MlNet(string imagesFolder, AdGanSegmentationModel model, MicroscopyReadOptions? read = null)
    {
        var ml = new MLContext(1);
        var files = MicroscopyImageReader.ListFiles(imagesFolder);
        var rows = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f }));
        var loading = ml.Transforms.LoadMicroscopyImages(new MicroscopyImageLoadingOptions { OutputColumnName = "Image", InputColumnName = "Path", ReadOptions = read ?? new MicroscopyReadOptions() });
        var images = loading.Fit(rows).Transform(rows);
        var scored = ml.Nuclei().Segment(model, images).Transform(images);
        return files.Zip(ml.Nuclei().ReadLabelMaps(scored)).ToDictionary(p => Path.GetFileNameWithoutExtension(p.First), p => p.Second);
    }

    [TestMethod]
    public async Task EveryEntryPointGivesTheSameLabelMaps()
    {
        using var folder = new TempFolder();
        var names = WriteImages(folder);
        string models = folder.File("models");
        Directory.CreateDirectory(models);
        string zip = Path.Combine(models, "seed-5.zip");
        using (var trained = Persistence.AdGanModelSerializerTests.TinyModel(seed: 7))
        {
            AdGanModelFile.Save(new MLContext(1), trained, zip);
            AdGanModelCache.Remove(trained.Id);
        }
        new QualityBenchmarkModelRecord(0, 0).Write(zip);
        var model = AdGanModelFile.LoadModel(new MLContext(), zip); // the cache owns it

        var mlnet = OnOneThread(() => MlNet(folder.File("images"), model));

        OnOneThread(() => SegmentCommand.RunAdGan(zip, folder.File("images"), folder.File("cli"), writeDecoded: false, TextWriter.Null));
        var cli = names.ToDictionary(n => n, n => LabelMaps.Read(folder.File($"cli/{n}.png")));

        OnOneThread(() => QualityBenchmark.Run(new QualityBenchmarkOptions
        {
            ImageFolder = folder.File("images"),
            TruthFolder = folder.File("truth"),
            ModelFolder = models,
            ReuseModels = true,
            PredictionFolder = folder.File("benchmark"),
            Training = TinyTraining.Options<AdGanTrainerOptions>(),
        }));
        var benchmark = names.ToDictionary(n => n, n => LabelMaps.Read(folder.File($"benchmark/seed-5/{n}.png")));

        var service = new Dictionary<string, ImageBuffer<uint>>();
        int threads = torch.get_num_threads();
        await using (var app = ServiceApp.Build(new ServiceOptions { ModelPath = zip, Urls = new List<string> { "http://127.0.0.1:0" }, TorchThreads = 1 }))
        {
            try
            {
                await app.StartAsync();
                using var client = new HttpClient { BaseAddress = ServiceApp.Address(app) };
                foreach (var file in MicroscopyImageReader.ListFiles(folder.File("images")))
                {
                    using var answer = await client.PostAsync(new Uri("/segment", UriKind.Relative), new ByteArrayContent(await File.ReadAllBytesAsync(file)));
                    Assert.IsTrue(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
                    var png = MicroscopyImageReader.ReadImage(await answer.Content.ReadAsByteArrayAsync(), "answer").Image;
                    service[Path.GetFileNameWithoutExtension(file)] = new ImageBuffer<uint>(png.Data.Select(v => (uint)v).ToArray(), png.Shape);
                }
                await app.StopAsync();
            }
            finally
            {
                torch.set_num_threads(threads);
            }
        }

        long nuclei = 0;
        foreach (var name in names)
        {
            var expected = cli[name];
            nuclei += expected.Data.Distinct().Count(v => v != 0);
            foreach (var (path, labels) in new[] { ("ML.NET", mlnet[name]), ("service", service[name]), ("benchmark", benchmark[name]) })
            {
                Assert.AreEqual(expected.Shape, labels.Shape, $"{path}, image {name}");
                CollectionAssert.AreEqual(expected.Data, labels.Data, $"{path}, image {name}");
            }
        }
        Assert.IsGreaterThan(0L, nuclei, "the maps compared hold nuclei");
    }

    [TestMethod]
    public async Task VolumesAgreeBetweenTheCommandLineTheServiceAndMlNet()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("volumes"));
        // Stored at 1 x 0.5 x 0.5 um: every path decodes it on cubic voxels and answers on the stored grid.
        var simulated = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of3D(20, 24, 28), SemiAxis = (3, 5), CountPerImage = (2, 4), Seed = 3 }).Simulate(0);
        var volume = new ImageBuffer<float>(simulated.Image.Data.Where((_, i) => i / (24 * 28) % 2 == 0).ToArray(), ImageShape.Of3D(10, 24, 28), new VoxelSize(1.0, 0.5, 0.5));
        MicroscopyImageWriter.Write(folder.File("volumes/v.tif"), volume, IntensityScaling.Raw(16));
        string zip = folder.File("volumes.zip");
        using (var saved = Persistence.AdGanModelSerializerTests.TinyModel(dimensions: 3, seed: 4))
        {
            AdGanModelFile.Save(new MLContext(1), saved, zip);
            AdGanModelCache.Remove(saved.Id);
        }
        var model = AdGanModelFile.LoadModel(new MLContext(), zip);
        Assert.IsTrue(IsotropicVolumes.NeedsResampling(MicroscopyImageReader.Read(folder.File("volumes/v.tif"))), "the stored volume has anisotropic voxels");

        OnOneThread(() => SegmentCommand.RunAdGan(zip, folder.File("volumes"), folder.File("cli"), writeDecoded: false, TextWriter.Null));
        var cli = LabelMaps.Read(folder.File("cli/v.tif"));
        Assert.AreEqual(ImageShape.Of3D(10, 24, 28), cli.Shape);

        var mlnet = OnOneThread(() => MlNet(folder.File("volumes"), model))["v"];
        CollectionAssert.AreEqual(cli.Data, mlnet.Data, "ML.NET");

        int threads = torch.get_num_threads();
        await using var app = ServiceApp.Build(new ServiceOptions { ModelPath = zip, Urls = new List<string> { "http://127.0.0.1:0" }, TorchThreads = 1 });
        try
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = ServiceApp.Address(app) };
            using var answer = await client.PostAsync(new Uri("/segment?format=json", UriKind.Relative), new ByteArrayContent(await File.ReadAllBytesAsync(folder.File("volumes/v.tif"))));
            Assert.IsTrue(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
            string json = await answer.Content.ReadAsStringAsync();
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
            Assert.AreEqual(JsonSerializer.Serialize(LabelSummary.Of(cli), options), json, "service");
            await app.StopAsync();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
