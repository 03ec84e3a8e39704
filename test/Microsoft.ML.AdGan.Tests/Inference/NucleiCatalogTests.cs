using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Tests.Training;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Inference;

/// <summary>The ML.NET surface on <c>mlContext.Nuclei()</c>: MLImage input, labelling with the image, label maps read back, options and threads left alone.</summary>
[TestClass]
public sealed class NucleiCatalogTests
{
    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static (MLContext Ml, IDataView Rows, TempFolder Folder) GreyPngs(int count = 2)
    {
        var folder = new TempFolder();
        var images = TinyTraining.Images(count, 40);
        var paths = new List<string>();
        for (int i = 0; i < images.Count; i++)
        {
            paths.Add(folder.File($"image{i}.png"));
            MicroscopyImageWriter.Write(paths[^1], images[i].Image, IntensityScaling.Raw(8));
        }
        var ml = new MLContext(1);
        return (ml, ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p })), folder);
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

    [TestMethod]
    public void AnMLImageColumnSegmentsLikeTheMicroscopyImageColumn()
    {
        var (ml, rows, folder) = GreyPngs();
        using var _ = folder;
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        var floats = ml.Transforms.LoadMicroscopyImages("Image", "Path").Fit(rows).Transform(rows);
        var mlImages = ml.Transforms.LoadImages("Image", imageFolder: folder.Path, inputColumnName: "Path").Fit(rows).Transform(rows);

        var expected = OnOneThread(() => ml.Nuclei().ReadLabelMaps(ml.Nuclei().Segment(model, floats).Transform(floats)).ToList());
        var actual = OnOneThread(() => ml.Nuclei().ReadLabelMaps(ml.Nuclei().Segment(model, mlImages).Transform(mlImages)).ToList());
        Assert.HasCount(2, actual);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.AreEqual(expected[i].Shape, actual[i].Shape);
            CollectionAssert.AreEqual(expected[i].Data, actual[i].Data, $"row {i}");
        }
    }

    [TestMethod]
    public void LabelInstancesWithTheImageColumnLabelsAsThePipelineDoes()
    {
        var (ml, rows, folder) = GreyPngs(1);
        using var _ = folder;
        using var model = Persistence.AdGanModelSerializerTests.TinyModel();
        var images = ml.Transforms.LoadMicroscopyImages("Image", "Path").Fit(rows).Transform(rows);
        var scored = OnOneThread(() => ml.Nuclei().Segment(model, images).Transform(images));
        var options = model.LabelOptions;
        Assert.IsGreaterThan(0.0, options.ImageBoundaryBand);

        foreach (var imageColumn in new[] { "Image", "Picture" })
        {
            var input = imageColumn == "Image" ? scored : ml.Transforms.LoadImages("Picture", folder.Path, "Path").Fit(scored).Transform(scored);
            var relabelled = ml.Nuclei().LabelInstances("Relabelled", "Decoded", options, imageColumnName: imageColumn).Fit(input).Transform(input);
            var expected = ml.Nuclei().ReadLabelMaps(scored).Single();
            var actual = ml.Nuclei().ReadLabelMaps(relabelled, "Relabelled").Single();
            Assert.AreEqual(expected.Shape, actual.Shape);
            CollectionAssert.AreEqual(expected.Data, actual.Data, imageColumn);
        }
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Nuclei().LabelInstances("Relabelled", "Decoded", options));
        StringAssert.Contains(e.Message, "imageColumnName");
    }

    [TestMethod]
    public void FitLeavesItsOptionsAndTheThreadCountAsItFoundThemAndLogsToTheContext()
    {
        var (ml, rows, folder) = GreyPngs();
        using var _ = folder;
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith(nameof(AdGanSegmentationEstimator), StringComparison.Ordinal))
                messages.Add(e.Message);
        };
        var options = TinyTraining.Options<AdGanSegmentationEstimator.Options>(1, 0);
        options.Decoding = AdGanDecoding.Cores;
        var masks = options.Masks;
        var (semiAxis, count) = (masks.SemiAxis, masks.CountPerPatch);
        int threads = torch.get_num_threads();
        int other = threads == 2 ? 3 : 2;
        torch.set_num_threads(other);
        try
        {
            var transformer = ml.Transforms.LoadImages("Image", folder.Path, "Path").Append(ml.Nuclei().Segment(options)).Fit(rows);
            Assert.AreEqual(other, torch.get_num_threads(), "Threads = 1 holds during Fit only");
            Assert.AreSame(masks, options.Masks);
            Assert.AreEqual((semiAxis, count), (masks.SemiAxis, masks.CountPerPatch));
            Assert.AreEqual(1, options.Threads);
            var segmentation = transformer.LastTransformer;
            Assert.AreEqual(AdGanDecoding.Cores, segmentation.Model.Settings.Decoding, "the labelling is kept in the model");
            Assert.AreEqual("Instances.Count", segmentation.CountColumnName);
            var scored = transformer.Transform(rows);
            var counts = scored.GetColumn<int>("Instances.Count").ToArray();
            var maps = ml.Nuclei().ReadLabelMaps(scored).ToArray();
            Assert.HasCount(2, maps);
            for (int i = 0; i < maps.Length; i++)
            {
                Assert.AreEqual(ImageShape.Of2D(40, 40), maps[i].Shape);
                Assert.AreEqual(maps[i].Data.Where(v => v != 0).Distinct().Count(), counts[i]);
            }
            Assert.IsTrue(messages.Any(m => m.Contains("training images", StringComparison.Ordinal)), string.Join("\n", messages));
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [TestMethod]
    public void OptionsFromTrainerOptionsCopyEveryTrainingSetting()
    {
        var training = AdGanPresets.Paper();
        training.Seed = 42;
        training.TimeBudget = TimeSpan.FromMinutes(3);
        training.TimeBudgetReserve = 0.25;
        var options = AdGanSegmentationEstimator.Options.From(training);
        foreach (var property in typeof(AdGanTrainerOptions).GetProperties().Where(p => p.CanWrite))
            Assert.AreEqual(property.GetValue(training), property.GetValue(options), property.Name);
        Assert.AreEqual("Instances", options.OutputColumnName);
    }

    [TestMethod]
    public void ReadLabelMapsNamesAMissingOrWrongColumn()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow() });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Nuclei().ReadLabelMaps(data)).Message, "'Instances'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Nuclei().ReadLabelMaps(data, "Path")).Message, "UInt32");
    }
}
