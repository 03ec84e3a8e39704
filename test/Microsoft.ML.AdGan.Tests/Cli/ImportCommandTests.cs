using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tests.Fidelity;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class ImportCommandTests
{
    [TestMethod]
    public void ImportedCheckpointSegmentsLikeTheDirectlyImportedNetworks()
    {
        using var folder = new TempFolder();
        string zip = folder.File("imported.zip");
        ImportCommand.Run(ReferenceData.File("init.pth"), 8, zip, semantic: false, scale: 1.0);
        var model = AdGanModelFile.LoadModel(new MLContext(), zip);
        Assert.AreEqual(NormalizationMode.Fixed8Bit, model.Settings.Normalization.Mode, "the authors' fixed 8-bit normalisation is recorded");
        Assert.AreEqual(8, model.Settings.BaseChannels);

        var data = new float[32 * 32];
        for (int i = 0; i < data.Length; i++)
            data[i] = (i * 37) % 256;
        var image = new ImageBuffer<float>(data, ImageShape.Of2D(32, 32));
        using var networks = PyTorchCheckpointImporter.Import(ReferenceData.File("init.pth"));
        using var direct = new Microsoft.ML.AdGan.Inference.AdGanSegmentationModel(networks, model.Settings);
        CollectionAssert.AreEqual(direct.Decode(image).Data, model.Decode(image).Data);
    }

    [TestMethod]
    public void AWrongNgfIsRejectedNamingTheFile()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ArgumentException>(() => ImportCommand.Run(ReferenceData.File("init.pth"), 64, folder.File("x.zip"), false, 1.0));
        StringAssert.Contains(e.Message, "init.pth");
        Assert.IsFalse(File.Exists(folder.File("x.zip")));
    }
}
