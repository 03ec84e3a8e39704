using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class IsotropicVolumesTests
{
    private static ImageBuffer<float> Ramp(ImageShape shape, VoxelSize? voxel)
    {
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = i % 97;
        return new ImageBuffer<float>(data, shape, voxel);
    }

    [TestMethod]
    public void OnlyVolumesWithARecordedAnisotropicVoxelSizeAreResampled()
    {
        Assert.IsTrue(IsotropicVolumes.NeedsResampling(Ramp(ImageShape.Of3D(4, 6, 6), new VoxelSize(2, 0.5, 0.5))));
        Assert.IsFalse(IsotropicVolumes.NeedsResampling(Ramp(ImageShape.Of3D(4, 6, 6), new VoxelSize(0.5, 0.5, 0.5))));
        Assert.IsFalse(IsotropicVolumes.NeedsResampling(Ramp(ImageShape.Of3D(4, 6, 6), null)));
        Assert.IsFalse(IsotropicVolumes.NeedsResampling(Ramp(ImageShape.Of3D(4, 6, 6), new VoxelSize(0, 0.5, 0.5))));
        Assert.IsFalse(IsotropicVolumes.NeedsResampling(Ramp(ImageShape.Of2D(6, 6), new VoxelSize(0, 0.5, 0.5))));
        var cubic = Ramp(ImageShape.Of3D(4, 6, 6), null);
        Assert.AreSame(cubic, IsotropicVolumes.ToIsotropic(cubic));
    }

    [TestMethod]
    public void ApplyWorksOnCubicVoxelsAndAnswersOnTheOriginalGrid()
    {
        var volume = Ramp(ImageShape.Of3D(5, 8, 12), new VoxelSize(1.5, 0.5, 0.5));
        ImageShape seen = default;
        var result = IsotropicVolumes.Apply(volume, iso =>
        {
            seen = iso.Shape;
            return iso;
        });
        Assert.AreEqual(ImageShape.Of3D(15, 8, 12), seen);
        Assert.AreEqual(volume.Shape, result.Shape);
        Assert.AreEqual(volume.VoxelSize, result.VoxelSize);
        // Up in Z then back down: in-plane values are untouched and Z is close to the original.
        double error = volume.Data.Zip(result.Data, (a, b) => Math.Abs(a - b)).Average();
        Assert.IsLessThan(5.0, error);

        var labels = IsotropicVolumes.ApplyLabels(volume, iso =>
        {
            var l = new uint[iso.Data.Length];
            for (int i = 0; i < l.Length; i++)
                l[i] = (uint)(i / (iso.Shape.Height * iso.Shape.Width) / 3 + 1); // one label per original slice
            return new ImageBuffer<uint>(l, iso.Shape, iso.VoxelSize);
        });
        Assert.AreEqual(volume.Shape, labels.Shape);
        for (int z = 0; z < 5; z++)
            Assert.AreEqual((uint)(z + 1), labels[z, 3, 4], $"slice {z}");
    }
}
