using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tests.Deployment;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class ExportCommandTests
{
    [TestMethod]
    public void ExportedZipRunsOnOnnxRuntimeLikeTheLoadedModel()
    {
        using var folder = new TempFolder();
        string zip = folder.File("model.zip"), onnx = folder.File("model.onnx");
        using (var seeded = OnnxExportTests.SeededModel(2))
            AdGanModelFile.Save(new MLContext(), seeded, zip);
        var log = new StringWriter();
        ExportCommand.Run(zip, onnx, log);
        StringAssert.Contains(log.ToString(), "model.onnx");
        StringAssert.Contains(log.ToString(), "image-level statistics", "the default tiling's statistics are pointed out");

        var model = AdGanModelFile.LoadModel(new MLContext(), zip);
        using var network = new OnnxSegmentationNetwork(onnx);
        Assert.AreEqual(AdGanModelFile.ReadMarker(zip).ModelId.ToString(), network.Metadata[AdGanOnnxFormat.ModelIdKey]);
        var tile = OnnxExportTests.Tile(ImageShape.Of2D(28, 36));
        var expected = model.DecodeNormalized(tile).Data;
        var actual = network.Decode(tile.Data, 1, 28, 36);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-4f, $"pixel {i}");
    }

    [TestMethod]
    public void TheStudentIsExportedOnRequestAndRefusedForAModelWithoutOne()
    {
        using var folder = new TempFolder();
        string zip = folder.File("student.zip"), onnx = folder.File("student.onnx"), plainZip = folder.File("plain.zip");
        using (var model = OnnxStudentExportTests.StudentModel())
        using (var generator = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Generator }))
            AdGanModelFile.Save(new MLContext(), generator, zip);
        var log = new StringWriter();
        ExportCommand.Run(zip, onnx, log, SegmentationNetwork.Student);
        StringAssert.Contains(log.ToString(), "student, 4 channels, depth 3");
        using (var network = new OnnxSegmentationNetwork(onnx))
            Assert.AreEqual(SegmentationNetwork.Student, network.CreateSegmenter().Settings.Network);

        using (var plain = OnnxExportTests.SeededModel(2))
            AdGanModelFile.Save(new MLContext(), plain, plainZip);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ExportCommand.Run(plainZip, folder.File("none.onnx"), TextWriter.Null, SegmentationNetwork.Student));
        StringAssert.Contains(e.Message, "plain.zip");
        StringAssert.Contains(e.Message, "--student on");
        Assert.IsFalse(File.Exists(folder.File("none.onnx")));
    }

    [TestMethod]
    public void AMissingModelIsReportedByName()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ExportCommand.Run(folder.File("absent.zip"), folder.File("x.onnx"), TextWriter.Null));
        StringAssert.Contains(e.Message, "absent.zip");
        Assert.IsFalse(File.Exists(folder.File("x.onnx")));
    }
}
