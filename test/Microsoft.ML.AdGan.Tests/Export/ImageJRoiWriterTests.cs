using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class ImageJRoiWriterTests
{
    [TestMethod]
    public void RoiSetFillsBackToTheLabels2D()
    {
        using var dir = new TempFolder();
        var labels = ExportScenes.Labels2D();
        ImageJRoiWriter.Write(dir.File("set.zip"), LabelOutlines.Trace(labels), isVolume: false);
        var rois = DecodedRoi.ReadZip(dir.File("set.zip"));
        Assert.HasCount(15, rois);
        var rebuilt = new uint[labels.Data.Length];
        foreach (var (entry, roi) in rois)
        {
            Assert.AreEqual(entry, roi.Name, "the ROI's name is its entry name");
            uint label = uint.Parse(roi.Name, System.Globalization.CultureInfo.InvariantCulture);
            Assert.AreEqual(0, roi.Position, "2D ROIs carry no slice");
            Paint(rebuilt, roi, label, labels.Shape.Height, labels.Shape.Width, 0);
        }

        CollectionAssert.AreEqual(labels.Data, rebuilt);
        var byName = rois.ToDictionary(r => r.Entry, r => r.Roi);
        Assert.AreEqual(8, byName["0001"].Type, "a plain nucleus is a traced polygon");
        foreach (var composite in new[] { "0002", "0003", "0004", "0005", "0011", "0012", "0013" })
            Assert.IsTrue(byName[composite].IsComposite, $"{composite} has holes, parts or corner links");
        Assert.AreEqual((0, 50, 3, 56), byName["0008"].Bounds, "bounds on pixel corners: top, left, bottom, right");
    }

    [TestMethod]
    public void VolumeRoisCarryTheirSlice()
    {
        using var dir = new TempFolder();
        var labels = ExportScenes.Labels3D();
        ImageJRoiWriter.Write(dir.File("set.zip"), LabelOutlines.Trace(labels), isVolume: true);
        var rois = DecodedRoi.ReadZip(dir.File("set.zip"));
        var rebuilt = new uint[labels.Data.Length];
        foreach (var (entry, roi) in rois)
        {
            var parts = entry.Split("-z");
            Assert.AreEqual(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), roi.Position, "position is the 1-based slice");
            Paint(rebuilt, roi, uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), labels.Shape.Height, labels.Shape.Width, roi.Position - 1);
        }

        CollectionAssert.AreEqual(labels.Data, rebuilt);
        Assert.IsTrue(rois.Any(r => r.Entry == "0005-z003" && r.Roi.IsComposite), "the hollow slice is composite");
    }

    [TestMethod]
    public void OutlinesBeyondPolygonCoordinatesBecomeComposite()
    {
        var labels = new ImageBuffer<uint>(ImageShape.Of2D(2, 40_000));
        labels[1, 39_998] = 1;
        labels[0, 3] = 2;
        using var ms = new MemoryStream();
        ImageJRoiWriter.Write(ms, LabelOutlines.Trace(labels), false);
        var path = Path.Combine(Path.GetTempPath(), $"adgan-roi-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, ms.ToArray());
        try
        {
            var rois = DecodedRoi.ReadZip(path).ToDictionary(r => r.Entry, r => r.Roi);
            Assert.IsTrue(rois["0001"].IsComposite, "a far pixel needs float coordinates");
            CollectionAssert.AreEquivalent(new[] { 39_998.0, 39_999.0, 39_999.0, 39_998.0 }, rois["0001"].Rings.Single().X);
            Assert.AreEqual(8, rois["0002"].Type, "a near one stays a polygon");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Paint(uint[] target, DecodedRoi roi, uint label, int h, int w, int z)
    {
        var filled = PolygonRaster.Fill(roi.Rings, h, w);
        for (int i = 0; i < filled.Length; i++)
        {
            if (!filled[i])
                continue;
            Assert.AreEqual(0u, target[z * h * w + i], $"ROI {roi.Name} overlaps another");
            target[z * h * w + i] = label;
        }
    }
}
