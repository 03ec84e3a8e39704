using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class AnisotropicSamplingTests
{
    [TestMethod]
    public void KeepsEveryNthSliceAndRecordsTheVoxelSizeInTheTiff()
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of3D(9, 20, 24), SemiAxis = (3, 5), CountPerImage = (2, 4), Seed = 4 });
        var full = simulator.Simulate(0);
        var sampled = AnisotropicSampling.SampleZ(full, 3, 0.4);
        Assert.AreEqual(ImageShape.Of3D(3, 20, 24), sampled.Image.Shape);
        Assert.AreEqual(ImageShape.Of3D(3, 20, 24), sampled.Labels.Shape);
        Assert.AreEqual(1.2, sampled.Image.VoxelSize!.Value.Z, 1e-12);
        Assert.AreEqual(0.4, sampled.Image.VoxelSize.Value.Y, 1e-12);
        Assert.AreEqual(sampled.Image.VoxelSize, sampled.Labels.VoxelSize);
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 20; y += 7)
                for (int x = 0; x < 24; x += 5)
                {
                    Assert.AreEqual(full.Image[z * 3, y, x], sampled.Image[z, y, x]);
                    Assert.AreEqual(full.Labels[z * 3, y, x], sampled.Labels[z, y, x]);
                }
        Assert.AreEqual(sampled.Labels.Data.Where(l => l != 0).Distinct().Count(), sampled.NucleusCount);

        using var folder = new TempFolder();
        string path = folder.File("v.tif");
        MicroscopyImageWriter.Write(path, sampled.Image, IntensityScaling.Raw(8));
        var read = MicroscopyImageReader.Read(path);
        Assert.AreEqual(sampled.Image.Shape, read.Shape);
        Assert.IsNotNull(read.VoxelSize);
        Assert.AreEqual(1.2, read.VoxelSize.Value.Z, 1e-4);
        Assert.AreEqual(0.4, read.VoxelSize.Value.X, 1e-4);
        Assert.IsTrue(IsotropicVolumes.NeedsResampling(read));
    }

    [TestMethod]
    public void RejectsImagesAndBadSteps()
    {
        var image = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(16, 16), SemiAxis = (3, 4), CountPerImage = (1, 1) }).Simulate(7);
        var e = Assert.ThrowsExactly<ArgumentException>(() => AnisotropicSampling.SampleZ(image, 2, 0.5));
        StringAssert.Contains(e.Message, "7");
        var volume = TinyVolumes.Volumes(1)[0];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AnisotropicSampling.SampleZ(volume, 0, 0.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AnisotropicSampling.SampleZ(volume, 2, -1));
    }
}
