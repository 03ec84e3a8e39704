using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>The importer infers the network shape from a checkpoint and names the file and keys when they do not fit.</summary>
[TestClass]
public sealed class CheckpointImportTests
{
    [TestMethod]
    public void ImportInfersTheNetworkShape()
    {
        using var networks = PyTorchCheckpointImporter.Import(ReferenceData.File("init.pth"), requireDiscriminator: true);
        Assert.AreEqual(8, networks.Options.BaseChannels);
        Assert.AreEqual(2, networks.Options.Dimensions);
        Assert.AreEqual(1, networks.Options.ImageChannels);
        Assert.AreEqual(64, networks.Options.StyleMlpWidth);
    }

    [TestMethod]
    public void MismatchedNetworksAreReportedWithFileAndKey()
    {
        using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 4 });
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointImporter.Load(networks, ReferenceData.File("init.pth")));
        StringAssert.Contains(error.Message, "init.pth");
        StringAssert.Contains(error.Message, "'enc.main.1.weight' has shape (8, 1, 7, 7)");
    }
}
