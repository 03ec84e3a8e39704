using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Reporting;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class VolumeViewsTests
{
    [TestMethod]
    public void ProjectionsAndSlicesOfASmallVolume()
    {
        var shape = ImageShape.Of3D(3, 2, 2);
        var values = new ImageBuffer<float>(new float[] { 1, 5, 0, 0, 2, 1, 7, 0, 0, 0, 0, 9 }, shape);
        CollectionAssert.AreEqual(new float[] { 2, 5, 7, 9 }, VolumeViews.MaxProjection(values).Data);
        CollectionAssert.AreEqual(new float[] { 2, 1, 7, 0 }, VolumeViews.Slice(values, 1).Data);
        Assert.AreEqual(ImageShape.Of2D(2, 2), VolumeViews.Slice(values, 2).Shape);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VolumeViews.Slice(values, 3));

        var labels = new ImageBuffer<uint>(new uint[] { 0, 4, 0, 0, 2, 3, 0, 0, 0, 0, 0, 6 }, shape);
        CollectionAssert.AreEqual(new uint[] { 2, 4, 0, 6 }, VolumeViews.LabelProjection(labels).Data);
    }
}
