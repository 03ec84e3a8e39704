using Microsoft.ML.AdGan.Estimators;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.Data;
using System.CommandLine;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Student;

/// <summary>Choosing the student network: <c>adgan segment --network</c>, <c>ml.Nuclei().Segment(model, ..., network)</c> and the estimator's option.</summary>
[TestClass]
public sealed class StudentSelectionTests
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

    private static AdGanSegmentationModel TinyModelWithStudent()
    {
        var shape = new StudentNetworkOptions { BaseChannels = 2, Depth = 2 };
        var student = new AdGanStudent(new StudentNetwork(shape, seed: 5), new AdGanStudentSettings { Network = shape });
        var tiny = Persistence.AdGanModelSerializerTests.TinyModel();
        return new AdGanSegmentationModel(tiny.Networks, tiny.Settings, student: student);
    }

    /// <summary>Writes one simulated image to DIR/images and <paramref name="model"/> to DIR/NAME.</summary>
    private static (string Images, string File, string Zip) Write(TempFolder temp, AdGanSegmentationModel model, string name)
    {
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        string file = Path.Combine(images, "cells.png");
        if (!File.Exists(file))
            MicroscopyImageWriter.Write(file, TinyTraining.Images(1, 48)[0].Image, IntensityScaling.Raw(8));
        string zip = temp.File(name);
        AdGanModelFile.Save(new MLContext(1), model, zip);
        AdGanModelCache.Remove(model.Id);
        return (images, file, zip);
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (OnOneThread(() => root.Parse(args).Invoke()), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [TestMethod]
    public void SegmentWithNetworkStudentWritesTheStudentsLabels()
    {
        using var temp = new TempFolder();
        using var model = TinyModelWithStudent();
        var (images, file, zip) = Write(temp, model, "student.zip");
        Assert.AreEqual(0, Run("segment", "--model", zip, "--images", images, "--out", temp.File("student"), "--network", "student").Code);
        Assert.AreEqual(0, Run("segment", "--model", zip, "--images", images, "--out", temp.File("generator")).Code);

        var loaded = AdGanModelFile.LoadModel(new MLContext(), zip);
        using var view = loaded.WithSettings(loaded.Settings with { Network = SegmentationNetwork.Student });
        var image = MicroscopyImageReader.Read(file, new MicroscopyReadOptions { FirstPageOnly = true });
        var expected = OnOneThread(() => new NucleusSegmenter(view).Segment(image).Labels);
        var student = LabelMaps.Read(temp.File("student/cells.png"));
        CollectionAssert.AreEqual(expected.Data, student.Data, "the student's labels");
        CollectionAssert.AreNotEqual(student.Data, LabelMaps.Read(temp.File("generator/cells.png")).Data, "the generator by default");
        AdGanModelCache.Remove(loaded.Id);
    }

    [TestMethod]
    public void SegmentWithNetworkStudentNamesAModelWithoutOne()
    {
        using var temp = new TempFolder();
        using var plain = Persistence.AdGanModelSerializerTests.TinyModel();
        var (images, _, zip) = Write(temp, plain, "plain.zip");
        var (code, error) = Run("segment", "--model", zip, "--images", images, "--out", temp.File("out"), "--network", "Student");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, zip);
        StringAssert.Contains(error, "student");
        AdGanModelCache.Remove(plain.Id);
    }

    private static float[] DecodedOfFirstRow(IDataView scored)
    {
        var column = scored.Schema["Decoded"];
        using var cursor = scored.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> values = default;
        Assert.IsTrue(cursor.MoveNext());
        getter(ref values);
        return values.DenseValues().ToArray();
    }

    [TestMethod]
    public void TheCatalogSegmentsWithTheNetworkAskedFor()
    {
        using var temp = new TempFolder();
        using var model = TinyModelWithStudent();
        var (_, file, _) = Write(temp, model, "student.zip");
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = file } });
        var images = ml.Transforms.LoadMicroscopyImages("Image", "Path").Fit(rows).Transform(rows);

        var student = OnOneThread(() => DecodedOfFirstRow(ml.Nuclei().Segment(model, images, network: SegmentationNetwork.Student).Transform(images)));
        var generator = OnOneThread(() => DecodedOfFirstRow(ml.Nuclei().Segment(model, images).Transform(images)));
        using var view = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        var image = MicroscopyImageReader.Read(file, new MicroscopyReadOptions { FirstPageOnly = true });
        CollectionAssert.AreEqual(OnOneThread(() => new NucleusSegmenter(view).Decode(image).Map.Data), student);
        CollectionAssert.AreEqual(OnOneThread(() => new NucleusSegmenter(model).Decode(image).Map.Data), generator);

        using var plain = Persistence.AdGanModelSerializerTests.TinyModel();
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Nuclei().Segment(plain, images, network: SegmentationNetwork.Student));
        StringAssert.Contains(error.Message, "student");
    }

    [TestMethod]
    public void TheEstimatorTrainsAndKeepsTheStudentWhenAskedToSegmentWithIt()
    {
        var options = AdGanSegmentationEstimator.Options.From(TinyTraining.Options<AdGanTrainerOptions>(1, 0));
        options.Network = SegmentationNetwork.Student;
        var missing = Assert.ThrowsExactly<ArgumentException>(() => options.Validate());
        Assert.AreEqual(nameof(options.Network), missing.ParamName);

        options.Student = new StudentTrainingOptions
        {
            Iterations = 2,
            BatchSize = 2,
            Patches = 4,
            RenderBatchSize = 4,
            Network = new StudentNetworkOptions { BaseChannels = 2, Depth = 2 },
        };
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyTraining.Images(2).Select(i => InMemoryImageRow.From(i.Image)));
        var transformer = ml.Nuclei().Segment(options).Fit(data);
        Assert.AreEqual(SegmentationNetwork.Student, transformer.Model.Settings.Network);
        Assert.IsNotNull(transformer.Model.Student);
        var image = TinyTraining.Images(2)[0].Image;
        var expected = OnOneThread(() => new NucleusSegmenter(transformer.Model).Decode(image).Map.Data);
        CollectionAssert.AreEqual(expected, OnOneThread(() => DecodedOfFirstRow(transformer.Transform(data))), "the transformer runs the student");
    }
}
