using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Tests.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Student;

[TestClass]
public sealed class StudentPipelineTests
{
    /// <summary>A tiny model with a tiny distance-coded student, tiles large enough for the test images to go through whole.</summary>
    private static AdGanSegmentationModel TinyModelWithStudent(StudentDecoding decoding = StudentDecoding.Peaks)
    {
        var shape = new StudentNetworkOptions { BaseChannels = 2, Depth = 2 };
        var student = new AdGanStudent(new StudentNetwork(shape, seed: 5), new AdGanStudentSettings { Network = shape, Decoding = decoding });
        var tiny = AdGanModelSerializerTests.TinyModel();
        var settings = tiny.Settings with { Tiling = new TilingOptions { TileSize = 128 } };
        return new AdGanSegmentationModel(tiny.Networks, settings, student: student);
    }

    [TestMethod]
    public void TheStudentThroughTheSegmenterEqualsItsOwnDecode()
    {
        using var model = TinyModelWithStudent();
        using var view = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        var image = AdGanModelSerializerTests.TestImage(48, 64);
        var segmented = new NucleusSegmenter(view).Segment(image, "test");

        var normalized = IntensityNormalizer.Normalize(image, model.Settings.Normalization);
        float[] direct;
        using (var x = tensor(normalized.Data, new long[] { 1, 1, 48, 64 }))
        using (var y = model.Student!.Segment(x))
            direct = y.contiguous().data<float>().ToArray();
        CollectionAssert.AreEqual(direct, segmented.DecodedMap.Data, "the pipeline's map is the student's own");
        var generator = new NucleusSegmenter(model).Decode(image).Map.Data;
        CollectionAssert.AreNotEqual(generator, segmented.DecodedMap.Data, "and not the generator's");

        var labeling = view.LabelOptions;
        Assert.AreEqual(InstanceLabelMode.DistancePeaks, labeling.Mode, "labelled as the student's decoding says");
        var expected = new InstanceLabeler(labeling).Label(new ImageBuffer<float>(direct, image.Shape), image, labeling.WorkingScale);
        CollectionAssert.AreEqual(expected.Data, segmented.Labels.Data);
    }

    [TestMethod]
    public void TheStudentsDecodingChoosesItsLabelling()
    {
        using var model = TinyModelWithStudent(StudentDecoding.Cores);
        Assert.AreEqual(InstanceLabelMode.Semantic, model.LabelOptions.Mode, "the generator's split decoding by default");
        using var view = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        Assert.AreEqual((InstanceLabelMode.ThreeLevel, 0.5f), (view.LabelOptions.Mode, view.LabelOptions.CoreThreshold));
    }

    [TestMethod]
    public void AskingForAStudentTheModelDoesNotCarryFailsClearly()
    {
        using var plain = AdGanModelSerializerTests.TinyModel();
        var error = Assert.ThrowsExactly<ArgumentException>(() => plain.WithSettings(plain.Settings with { Network = SegmentationNetwork.Student }));
        StringAssert.Contains(error.Message, "student");
    }

    [TestMethod]
    public void UnderTheDefaultTilingTiledAndWholeStudentMapsAgree()
    {
        using var model = TinyModelWithStudent();
        var image = AdGanModelSerializerTests.TestImage(560, 600);
        using var tiled = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student, Tiling = new TilingOptions() });
        using var whole = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student, Tiling = new TilingOptions { TileSize = 1024 } });
        var a = new NucleusSegmenter(whole).Decode(image).Map.Data;
        var b = new NucleusSegmenter(tiled).Decode(image).Map.Data;
        for (int i = 0; i < a.Length; i++)
            Assert.AreEqual(a[i], b[i], 1e-5f, $"pixel {i}");
    }
}
