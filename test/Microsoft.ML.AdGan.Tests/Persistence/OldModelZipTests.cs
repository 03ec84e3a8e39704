using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.Data;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Persistence;

/// <summary>Model zips saved by the library at 727d396 (TestData/model-727d396) still load and give the outputs they gave then.</summary>
[TestClass]
public sealed class OldModelZipTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "model-727d396");

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static void OnOneThread(Action body)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            body();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [TestMethod]
    public void ThePipelineZipLabelsAndDecodesAsItDidWhenSaved() => OnOneThread(() =>
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(Path.Combine(Folder, "pipeline-727d396.zip"), out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("Path"));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = Path.Combine(Folder, "image.png") } }));

        var labels = scored.GetColumn<VBuffer<uint>>("Instances").Single().DenseValues().ToArray();
        var expectedLabels = LabelMaps.Read(Path.Combine(Folder, "pipeline-labels.png")).Data;
        Assert.IsGreaterThan(1u, expectedLabels.Max(), "the stored map holds nuclei");
        CollectionAssert.AreEqual(expectedLabels, labels);

        var decoded = scored.GetColumn<VBuffer<float>>("Decoded").Single().DenseValues().ToArray();
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "pipeline-decoded.f32"));
        var expectedDecoded = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, expectedDecoded, 0, bytes.Length);
        DecodedMaps.AssertMatches(expectedDecoded, decoded);
        Assert.IsNotNull(scored.Schema.GetColumnOrNull("Decoded.Mask"), "an old zip keeps its old columns");
    });

    [TestMethod]
    public void TheTrainedModelZipSegmentsAsAdGanSegmentDidWhenSaved() => OnOneThread(() =>
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("in"));
        File.Copy(Path.Combine(Folder, "image.png"), temp.File("in/image.png"));
        string zip = Path.Combine(Folder, "model-727d396.zip");
        Assert.AreEqual(2, AdGanModelFile.ReadMarker(zip).FormatVersion);

        Assert.AreEqual(0, SegmentCommand.RunAdGan(zip, temp.File("in"), temp.File("out"), writeDecoded: false, TextWriter.Null));

        var expected = LabelMaps.Read(Path.Combine(Folder, "segment-labels.png")).Data;
        Assert.IsGreaterThan(1u, expected.Max(), "the stored map holds nuclei");
        CollectionAssert.AreEqual(expected, LabelMaps.Read(temp.File("out/image.png")).Data);

        // The same model through the current ML.NET transformer gives the same labels.
        var ml = new MLContext(1);
        var model = AdGanModelFile.LoadModel(ml, zip); // the cache owns it
        var image = MicroscopyImageReader.Read(Path.Combine(Folder, "image.png"));
        var rows = ml.Data.LoadFromEnumerable(new[] { InMemoryImageRow.From(image) });
        var scored = ml.Nuclei().Segment(model, rows).Transform(rows);
        CollectionAssert.AreEqual(expected, ml.Nuclei().ReadLabelMaps(scored).Single().Data);
    });

    [TestMethod]
    public void AVersionThreeZipSegmentsWithTheGeneratorAsItDidWhenSaved() => OnOneThread(() =>
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("in"));
        File.Copy(Path.Combine(Folder, "image.png"), temp.File("in/image.png"));
        string v3 = Path.Combine(AppContext.BaseDirectory, "TestData", "model-v3");
        string zip = Path.Combine(v3, "model-v3.zip");
        Assert.AreEqual(3, AdGanModelFile.ReadMarker(zip).FormatVersion);

        Assert.AreEqual(0, SegmentCommand.RunAdGan(zip, temp.File("in"), temp.File("out"), writeDecoded: false, TextWriter.Null));

        var expected = LabelMaps.Read(Path.Combine(v3, "segment-labels.png")).Data;
        Assert.IsGreaterThan(1u, expected.Max(), "the stored map holds nuclei");
        CollectionAssert.AreEqual(expected, LabelMaps.Read(temp.File("out/image.png")).Data);
        var model = AdGanModelFile.LoadModel(new MLContext(1), zip); // the cache owns it
        Assert.IsNull(model.Student);
        Assert.AreEqual(SegmentationNetwork.Generator, model.Settings.Network);
    });
}
