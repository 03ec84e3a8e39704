using Microsoft.ML.AdGan.Estimators;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.Persistence;

[TestClass]
public sealed class StudentPersistenceTests
{
    private static AdGanSegmentationModel TinyModelWithStudent()
    {
        var shape = new StudentNetworkOptions { BaseChannels = 2, Depth = 2, Target = StudentTarget.ThreeLevel };
        var student = new AdGanStudent(new StudentNetwork(shape, seed: 8), new AdGanStudentSettings { Network = shape, Decoding = StudentDecoding.Cores });
        var tiny = AdGanModelSerializerTests.TinyModel();
        return new AdGanSegmentationModel(tiny.Networks, tiny.Settings, student: student);
    }

    /// <summary>The student's decoded map of <paramref name="image"/> through the segmentation pipeline.</summary>
    internal static float[] StudentMap(AdGanSegmentationModel model, ImageBuffer<float> image)
    {
        using var view = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        return new NucleusSegmenter(view).Decode(image).Map.Data;
    }

    [TestMethod]
    public void TheStudentTravelsInTheModelBytesAsVersionFour()
    {
        using var model = TinyModelWithStudent();
        var bytes = AdGanModelSerializer.ToBytes(model);
        Assert.AreEqual(4, BitConverter.ToInt32(bytes, 8), "format version");
        using var loaded = AdGanModelSerializer.Read(new MemoryStream(bytes), "v4");
        Assert.IsNotNull(loaded.Student);
        Assert.AreEqual(model.Student!.Settings, loaded.Student.Settings);
        Assert.AreEqual(SegmentationNetwork.Generator, loaded.Settings.Network);
        var image = AdGanModelSerializerTests.TestImage(37, 45);
        CollectionAssert.AreEqual(StudentMap(model, image), StudentMap(loaded, image));
        CollectionAssert.AreEqual(model.Decode(image).Data, loaded.Decode(image).Data, "the generator is unchanged");
    }

    [TestMethod]
    public void TheChosenNetworkTravelsInTheModelBytes()
    {
        using var tiny = TinyModelWithStudent();
        using var model = tiny.WithSettings(tiny.Settings with { Network = SegmentationNetwork.Student });
        using var loaded = AdGanModelSerializer.Read(new MemoryStream(AdGanModelSerializer.ToBytes(model)), "student");
        Assert.AreEqual(SegmentationNetwork.Student, loaded.Settings.Network);
        var image = AdGanModelSerializerTests.TestImage(37, 45);
        CollectionAssert.AreEqual(StudentMap(tiny, image), loaded.Decode(image).Data, "the loaded model segments with its student");
        Assert.AreEqual(InstanceLabelMode.ThreeLevel, loaded.LabelOptions.Mode, "labelled the student's way (Cores)");
    }

    [TestMethod]
    public void AFileThatAsksForAMissingStudentIsRefusedNamingIt()
    {
        using var plain = AdGanModelSerializerTests.TinyModel();
        var bytes = AdGanModelSerializer.ToBytes(plain);
        Assert.AreEqual(0, bytes[^1], "a model without a student ends with a zero flag");
        // The same file with settings that ask for the student (the JSON keeps its length).
        var generator = System.Text.Encoding.UTF8.GetBytes("\"Network\":0");
        int at = bytes.AsSpan().IndexOf(generator);
        Assert.IsGreaterThan(0, at, "the settings record the network");
        bytes[at + generator.Length - 1] = (byte)'1';
        var error = Assert.ThrowsExactly<AdGanModelFormatException>(() => AdGanModelSerializer.Read(new MemoryStream(bytes), "cut.adgan"));
        StringAssert.Contains(error.Message, "cut.adgan");
        StringAssert.Contains(error.Message, "student");
    }

    [TestMethod]
    public void AModelWithoutAStudentReadsWithout()
    {
        using var model = AdGanModelSerializerTests.TinyModel();
        using var loaded = AdGanModelSerializer.Read(new MemoryStream(AdGanModelSerializer.ToBytes(model)), "plain");
        Assert.IsNull(loaded.Student);
    }

    [TestMethod]
    public void TheStudentTravelsInTheModelZip()
    {
        using var temp = new TempFolder();
        using var model = TinyModelWithStudent();
        string path = temp.File("student.zip");
        AdGanModelFile.Save(new MLContext(1), model, path);
        Assert.AreEqual(AdGanModelSerializer.FormatVersion, AdGanModelFile.ReadMarker(path).FormatVersion);
        var loaded = AdGanModelFile.LoadModel(new MLContext(1), path);
        try
        {
            Assert.IsNotNull(loaded.Student);
            Assert.AreEqual(StudentDecoding.Cores, loaded.Student.Settings.Decoding);
            var image = AdGanModelSerializerTests.TestImage();
            CollectionAssert.AreEqual(StudentMap(model, image), StudentMap(loaded, image));
            using var flips = AdGanModelFile.LoadModel(new MLContext(1), path, s => s with { TestTimeAugmentation = true });
            Assert.AreSame(loaded.Student, flips.Student, "a settings view shares the student");
        }
        finally
        {
            AdGanModelCache.Remove(loaded.Id);
        }
    }

    /// <summary>A model written by the library at format version 2 (TestData/model-v2) reads without a student and decodes as it did then.</summary>
    [TestMethod]
    public void VersionTwoFilesStillReadAndDecodeAsBefore()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "TestData", "model-v2");
        var bytes = File.ReadAllBytes(Path.Combine(folder, "tiny-v2-decoded-40x54.f32"));
        var expected = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, expected, 0, bytes.Length);
        var data = new float[40 * 54];
        for (int i = 0; i < data.Length; i++)
            data[i] = 100 + 50 * MathF.Sin(i * 0.1f) + 30 * MathF.Cos(i * 0.013f);
        var image = new ImageBuffer<float>(data, ImageShape.Of2D(40, 54));

        string blob = Path.Combine(folder, "tiny-v2.adgan");
        Assert.AreEqual(2, BitConverter.ToInt32(File.ReadAllBytes(blob), 8), "the file really is version 2");
        using var fromBlob = AdGanModelSerializer.Read(File.OpenRead(blob), "tiny-v2.adgan");
        Assert.IsNull(fromBlob.Student);
        Assert.AreEqual(7.5, fromBlob.Settings.TrainedSemiAxis);
        DecodedMaps.AssertMatches(expected, fromBlob.Decode(image).Data);

        string zip = Path.Combine(folder, "tiny-v2.zip");
        Assert.AreEqual(2, AdGanModelFile.ReadMarker(zip).FormatVersion);
        AdGanModelCache.Remove(fromBlob.Id);
        var fromZip = AdGanModelFile.LoadModel(new MLContext(), zip);
        Assert.IsNull(fromZip.Student);
        DecodedMaps.AssertMatches(expected, fromZip.Decode(image).Data);
        AdGanModelCache.Remove(fromZip.Id);
    }
}
