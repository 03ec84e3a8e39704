using System.Diagnostics;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Inference;

[TestClass]
public sealed class AdGanEstimatorTests
{
    public sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static (MLContext Ml, IDataView Data, TempFolder Folder) ImagesOnDisk(int count = 2)
    {
        var folder = new TempFolder();
        var paths = new List<PathRow>();
        foreach (var (image, i) in TinyTraining.Images(count).Select((img, i) => (img, i)))
        {
            string path = folder.File($"img{i}.png");
            MicroscopyImageWriter.Write(path, image.Image, IntensityScaling.Raw(8));
            paths.Add(new PathRow { Path = path });
        }
        var ml = new MLContext(1);
        return (ml, ml.Data.LoadFromEnumerable(paths), folder);
    }

    private static float[] Column(IDataView data, string name, int row = 0)
    {
        using var cursor = data.GetRowCursor(new[] { data.Schema[name] });
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[name]);
        VBuffer<float> value = default;
        for (int i = 0; i <= row; i++)
            Assert.IsTrue(cursor.MoveNext());
        getter(ref value);
        return value.DenseValues().ToArray();
    }

    [TestMethod]
    public void PipelineFitsTransformsLabelsAndRoundTripsThroughAModelZip()
    {
        var (ml, data, folder) = ImagesOnDisk();
        using var _ = folder;
        var options = TinyTraining.Options<AdGanSegmentationEstimator.Options>(2, 0);
        var pipeline = ml.Transforms.LoadMicroscopyImages("Image", "Path")
            .Append(ml.Nuclei().Segment(options));
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        foreach (var column in new[] { "Decoded", "Decoded.Height", "Decoded.Width", "Instances", "Instances.Height", "Instances.Width", "Instances.Count", "Instances.WorkingScale" })
            Assert.IsNotNull(scored.Schema.GetColumnOrNull(column), column);
        Assert.IsNull(scored.Schema.GetColumnOrNull("Instances.Depth"), "a 2D model's maps are images");
        var decoded = Column(scored, "Decoded");
        Assert.HasCount(40 * 40, decoded);
        Assert.IsTrue(decoded.All(v => v >= -1 && v <= 1));

        string zip = folder.File("model.zip");
        ml.Model.Save(model, data.Schema, zip);
        var loaded = new MLContext().Model.Load(zip, out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("Path"));
        CollectionAssert.AreEqual(decoded, Column(loaded.Transform(data), "Decoded"));
    }

    [TestMethod]
    public void OutputSchemaIsKnownBeforeFitAndBadColumnsAreNamed()
    {
        var (ml, data, folder) = ImagesOnDisk(1);
        using var _ = folder;
        var loading = ml.Transforms.LoadMicroscopyImages("Image", "Path");
        var paths = ml.Transforms.CustomMapping<ModelKeyMapping.Input, PathRow>((_, o) => o.Path = "", contractName: null)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var shape = loading.GetOutputSchema(paths);
        var estimator = ml.Nuclei().Segment(TinyTraining.Options<AdGanSegmentationEstimator.Options>(1, 0));
        var output = estimator.GetOutputSchema(shape);
        Assert.IsTrue(output.Any(c => c.Name == "Decoded"));
        Assert.IsTrue(output.Any(c => c.Name == "Instances.Count"));
        var wrong = TinyTraining.Options<AdGanSegmentationEstimator.Options>(1, 0);
        wrong.ImageColumnName = "Picture";
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Nuclei().Segment(wrong).Fit(loading.Fit(data).Transform(data)));
        StringAssert.Contains(e.Message, "Picture");
    }

    [TestMethod]
    public void AFreshProcessLoadsTheModelZipAndGivesTheSameMaps()
    {
        using var folder = new TempFolder();
        var options = TinyTraining.Options<AdGanSegmentationEstimator.Options>(2, 0);
        using var trainer = new AdGan.Training.AdGanTrainer(options, TinyTraining.Source(options));
        using var model = trainer.Train();
        string zip = folder.File("model.zip");
        AdGanModelFile.Save(new MLContext(), model, zip);

        var image = TinyTraining.Images(1, 52, seed: 9)[0].Image;
        Directory.CreateDirectory(folder.File("in"));
        MicroscopyImageWriter.Write(folder.File("in/a.png"), image, IntensityScaling.Raw(8));
        var expected = model.Decode(MicroscopyImageReader.Read(folder.File("in/a.png")));

        string cli = Path.Combine(AppContext.BaseDirectory, "adgan.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{cli}\" segment --model \"{zip}\" --images \"{folder.File("in")}\" --out \"{folder.File("out")}\" --decoded")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, stdout + stderr);

        var written = MicroscopyImageReader.Read(folder.File("out/decoded/a.png"));
        var scaling = IntensityScaling.SignedUnit(8);
        int off = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            double diff = Math.Abs(scaling.Apply(expected.Data[i]) - written.Data[i]);
            Assert.IsLessThanOrEqualTo(1.0, diff, $"pixel {i}");
            if (diff > 0)
                off++;
        }
        Assert.IsLessThanOrEqualTo(expected.Data.Length / 100, off, "pixels whose 8-bit value differs by rounding");
        Assert.IsTrue(File.Exists(folder.File("out/a.png")), "label map written");
    }

    [TestMethod]
    public void ModelFileErrorsNameTheFileAndTheProblem()
    {
        using var folder = new TempFolder();
        var ml = new MLContext();
        Assert.ThrowsExactly<FileNotFoundException>(() => AdGanModelFile.Load(ml, folder.File("missing.zip"), out _));

        File.WriteAllBytes(folder.File("junk.zip"), new byte[] { 1, 2, 3, 4, 5 });
        var junk = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelFile.Load(ml, folder.File("junk.zip"), out _));
        StringAssert.Contains(junk.Message, "junk.zip");

        using (var zip = System.IO.Compression.ZipFile.Open(folder.File("foreign.zip"), System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("Model/Model.key");
        var foreign = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelFile.Load(ml, folder.File("foreign.zip"), out _));
        StringAssert.Contains(foreign.Message, "not an AD-GAN model");

        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        AdGanModelFile.Save(ml, model, folder.File("good.zip"));
        var bytes = File.ReadAllBytes(folder.File("good.zip"));
        File.WriteAllBytes(folder.File("truncated.zip"), bytes[..(bytes.Length / 2)]);
        var truncated = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelFile.Load(ml, folder.File("truncated.zip"), out _));
        StringAssert.Contains(truncated.Message, "truncated.zip");

        using (var zip = System.IO.Compression.ZipFile.Open(folder.File("good.zip"), System.IO.Compression.ZipArchiveMode.Update))
        {
            zip.GetEntry(AdGanModelFile.MarkerEntry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(AdGanModelFile.MarkerEntry).Open());
            writer.Write($"{{\"FormatVersion\":{AdGanModelSerializer.FormatVersion + 1},\"ModelId\":\"{Guid.NewGuid()}\",\"Dimensions\":2,\"BaseChannels\":2,\"Coding\":1,\"ForegroundThreshold\":-0.498,\"CoreThreshold\":0.5}}");
        }
        var newer = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelFile.Load(ml, folder.File("good.zip"), out _));
        StringAssert.Contains(newer.Message, "Update the library");
    }
}
