using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class PrimitivesTests
{
    private static ImageBuffer<bool> Mask(params string[] rows)
    {
        var data = rows.SelectMany(r => r.Select(c => c == '#')).ToArray();
        return new ImageBuffer<bool>(data, ImageShape.Of2D(rows.Length, rows[0].Length));
    }

    [TestMethod]
    public void LabellingHonoursConnectivityAndRasterOrder()
    {
        var m = Mask("#..#", ".#.#", "....", "##..");
        var full = ConnectedComponents.Label(m, Connectivity.Full, out int nFull);
        var face = ConnectedComponents.Label(m, Connectivity.Face, out int nFace);
        Assert.AreEqual(3, nFull);
        Assert.AreEqual(4, nFace);
        CollectionAssert.AreEqual(new uint[] { 1, 0, 0, 2, 0, 1, 0, 2, 0, 0, 0, 0, 3, 3, 0, 0 }, full.Data);
    }

    [TestMethod]
    public void LabellingIn3DUsesTheZNeighbours()
    {
        var data = new bool[2 * 2 * 2];
        data[0] = true;          // (0,0,0)
        data[4 + 3] = true;      // (1,1,1): only a corner neighbour of (0,0,0)
        var m = new ImageBuffer<bool>(data, ImageShape.Of3D(2, 2, 2));
        ConnectedComponents.Label(m, Connectivity.Full, out int n26);
        ConnectedComponents.Label(m, Connectivity.Face, out int n6);
        Assert.AreEqual(1, n26);
        Assert.AreEqual(2, n6);
    }

    [TestMethod]
    public void DistanceTransformMatchesBruteForceWithSpacing()
    {
        var rng = new Random(3);
        foreach (var shape in new[] { ImageShape.Of2D(9, 13), ImageShape.Of3D(5, 6, 7) })
        {
            var data = Enumerable.Range(0, (int)shape.Length).Select(_ => rng.NextDouble() < 0.8).ToArray();
            data[0] = false;
            var spacing = new VoxelSize(2.0, 1.5, 1.0);
            var dt = DistanceTransform.Euclidean(new ImageBuffer<bool>(data, shape), spacing);
            for (int z = 0; z < shape.Depth; z++)
                for (int y = 0; y < shape.Height; y++)
                    for (int x = 0; x < shape.Width; x++)
                    {
                        double best = double.PositiveInfinity;
                        for (int c = 0; c < shape.Depth; c++)
                            for (int b = 0; b < shape.Height; b++)
                                for (int a = 0; a < shape.Width; a++)
                                    if (!data[shape.IndexOf(c, b, a)])
                                        best = Math.Min(best, Math.Sqrt(Math.Pow((c - z) * spacing.Z, 2) + Math.Pow((b - y) * spacing.Y, 2) + Math.Pow((a - x) * spacing.X, 2)));
                        Assert.AreEqual(best, dt[z, y, x], 1e-4, $"{shape} at ({z},{y},{x})");
                    }
        }
    }

    [TestMethod]
    public void FillHolesFillsOnlyEnclosedBackground()
    {
        var filled = HoleFilling.Fill(Mask("#####.", "#..#..", "#####.", "......"));
        Assert.IsTrue(filled[1, 1] && filled[1, 2]);
        Assert.IsFalse(filled[1, 4]);
        Assert.IsFalse(filled[3, 0]);
    }

    [TestMethod]
    public void WatershedSplitsTwoBasinsAtTheRidgeAndIsDeterministic()
    {
        // 1D profile: valley at x=1 and x=7, ridge at x=4.
        float[] profile = { 1, 0, 1, 2, 3, 2, 1, 0, 1 };
        var surface = new ImageBuffer<float>(profile, ImageShape.Of2D(1, 9));
        var markers = new ImageBuffer<uint>(new uint[] { 0, 1, 0, 0, 0, 0, 0, 2, 0 }, ImageShape.Of2D(1, 9));
        var a = Watershed.Flood(surface, markers);
        var b = Watershed.Flood(surface, markers);
        CollectionAssert.AreEqual(a.Data, b.Data);
        CollectionAssert.AreEqual(new uint[] { 1, 1, 1, 1, a.Data[4], 2, 2, 2, 2 }, a.Data);
        var mask = new ImageBuffer<bool>(profile.Select((_, i) => i != 3).ToArray(), ImageShape.Of2D(1, 9));
        var masked = Watershed.Flood(surface, markers, mask);
        Assert.AreEqual(0u, masked.Data[3]);
        Assert.AreEqual(2u, masked.Data[4]);
    }

    [TestMethod]
    public void GaussianKernelAndBlurPreserveMass()
    {
        var k = GaussianBlur.Kernel(1.0, 4.0);
        Assert.HasCount(9, k);
        Assert.AreEqual(1.0, k.Sum(), 1e-12);
        var img = new ImageBuffer<float>(ImageShape.Of2D(21, 21));
        img[10, 10] = 1;
        var blurred = GaussianBlur.Apply(img, 1.0);
        Assert.AreEqual(1.0, blurred.Data.Sum(), 1e-5);
        Assert.AreEqual(k[4] * k[4], blurred[10, 10], 1e-6);
        Assert.AreEqual(k[4] * k[5], blurred[10, 11], 1e-6);
    }

    [TestMethod]
    public void OtsuAndLiSeparateTwoModes()
    {
        var values = Enumerable.Repeat(0.1f, 500).Concat(Enumerable.Repeat(0.9f, 300)).Concat(new[] { 0.12f, 0.88f }).ToArray();
        float otsu = Thresholds.Otsu(values);
        float li = Thresholds.Li(values);
        Assert.IsTrue(otsu > 0.12f && otsu < 0.88f, $"Otsu {otsu}");
        Assert.IsTrue(li > 0.12f && li < 0.88f, $"Li {li}");
        Assert.AreEqual(0.5f, Thresholds.Otsu(new[] { 0.5f, 0.5f }));
    }

    [TestMethod]
    public void PeaksRespectMinimumDistanceAndLabels()
    {
        var img = new ImageBuffer<float>(ImageShape.Of2D(20, 20));
        img[5, 5] = 5;
        img[5, 7] = 4;   // within 3 of the first: suppressed
        img[14, 14] = 3;
        var peaks = PeakDetection.FindPeaks(img, 3, excludeBorder: false);
        CollectionAssert.AreEqual(new[] { 5 * 20 + 5, 14 * 20 + 14 }, peaks.ToArray());
        var labels = new ImageBuffer<uint>(Enumerable.Range(0, 400).Select(i => (uint)(i % 20 < 6 ? 1 : 2)).ToArray(), ImageShape.Of2D(20, 20));
        var perLabel = PeakDetection.FindPeaks(img, 3, labels, excludeBorder: false);
        CollectionAssert.AreEquivalent(new[] { 5 * 20 + 5, 5 * 20 + 7, 14 * 20 + 14 }, perLabel.ToArray());
    }

    [TestMethod]
    public void ObjectFiltersRemoveSmallAndBorderObjectsAndRelabel()
    {
        var labels = new ImageBuffer<uint>(new uint[] { 7, 0, 0, 0, 0, 3, 3, 0, 0, 3, 3, 0, 0, 0, 0, 9 }, ImageShape.Of2D(4, 4));
        var small = ObjectFilters.RemoveSmallObjects(labels, 2);
        CollectionAssert.AreEqual(new uint[] { 0, 0, 0, 0, 0, 3, 3, 0, 0, 3, 3, 0, 0, 0, 0, 0 }, small.Data);
        var border = ObjectFilters.DropBorderObjects(labels);
        Assert.AreEqual(0u, border.Data[0]);
        Assert.AreEqual(3u, border.Data[5]);
        var seq = ObjectFilters.RelabelSequential(labels, out int n);
        Assert.AreEqual(3, n);
        CollectionAssert.AreEqual(new uint[] { 2, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 3 }, seq.Data);
    }

    [TestMethod]
    public void ThresholdSegmentationSplitsTwoTouchingDisks()
    {
        var shape = ImageShape.Of2D(40, 60);
        var img = new ImageBuffer<float>(shape);
        foreach (var (cy, cx) in new[] { (20, 20), (20, 37) })
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 60; x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= 100)
                        img[y, x] = 200;
        var labels = new ThresholdSegmentation(new ThresholdSegmentationOptions { MinDiameter = 10 }).Segment(img);
        Assert.AreEqual(2u, labels.Data.Max());
        Assert.AreNotEqual(labels[20, 20], labels[20, 37]);
    }
}
