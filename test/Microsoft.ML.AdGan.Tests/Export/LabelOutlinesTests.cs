using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class LabelOutlinesTests
{
    [TestMethod]
    public void FillingTheOutlinesGivesBackEveryLabelExactly()
    {
        AssertOutlinesFill(ExportScenes.Labels2D());
        AssertOutlinesFill(ExportScenes.Labels3D());
    }

    [TestMethod]
    public void RandomLabelMapsRoundTrip()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 40; trial++)
        {
            int h = random.Next(1, 12), w = random.Next(1, 12);
            var m = new ImageBuffer<uint>(ImageShape.Of2D(h, w));
            for (int i = 0; i < m.Data.Length; i++)
                m.Data[i] = random.NextDouble() < 0.45 ? 0 : (uint)random.Next(1, 4);
            AssertOutlinesFill(m);
        }
    }

    [TestMethod]
    public void AwkwardShapesGetTheRingsTheyNeed()
    {
        var outlines = LabelOutlines.Trace(ExportScenes.Labels2D()).ToDictionary(o => o.Label);
        Assert.IsTrue(outlines[1].IsSimplePolygon, "disc");
        Assert.HasCount(1, outlines[2].Polygons);
        Assert.HasCount(1, outlines[2].Polygons[0].Holes, "annulus has one hole");
        Assert.HasCount(2, outlines[3].Polygons, "two parts");
        Assert.HasCount(2, outlines[4].Polygons, "corner-only link: two 4-connected parts");
        Assert.HasCount(1, outlines[5].Polygons, "C: one part ...");
        Assert.HasCount(1, outlines[5].Polygons[0].Holes, "... whose corner link splits off a hole touching the exterior");
        Assert.HasCount(4, outlines[6].Polygons[0].Exterior.X, "one pixel: a square");
        Assert.AreEqual(1, outlines[6].Area);
        Assert.HasCount(2, outlines[11].Polygons, "frame and island");
        Assert.HasCount(1, outlines[11].Polygons[0].Holes);
        Assert.HasCount(4, outlines[12].Polygons, "staircase of corner-linked pixels");
        Assert.HasCount(1, outlines[13].Polygons[0].Holes, "the nucleus around another one has a hole");
        Assert.HasCount(4, outlines[8].Polygons[0].Exterior.X, "corner box: four vertices");
        Assert.AreEqual(50, outlines[8].Polygons[0].Exterior.X.Min());
        Assert.AreEqual(56, outlines[8].Polygons[0].Exterior.X.Max(), "vertices on pixel corners reach the image edge");
    }

    [TestMethod]
    public void RingsAreSimpleAndOriented()
    {
        foreach (var outline in LabelOutlines.Trace(ExportScenes.Labels2D()))
        {
            foreach (var polygon in outline.Polygons)
            {
                Assert.IsFalse(polygon.Exterior.IsHole);
                Assert.IsTrue(polygon.Holes.All(h => h.IsHole));
                foreach (var ring in polygon.Holes.Prepend(polygon.Exterior))
                {
                    var vertices = Enumerable.Range(0, ring.Count).Select(i => (ring.X[i], ring.Y[i])).ToList();
                    Assert.AreEqual(vertices.Count, vertices.Distinct().Count(), $"label {outline.Label}: a ring repeats a vertex");
                    for (int i = 0; i < ring.Count; i++)
                    {
                        int j = (i + 1) % ring.Count, k = (i + 2) % ring.Count;
                        Assert.IsTrue(ring.X[i] == ring.X[j] || ring.Y[i] == ring.Y[j], "edges run along pixel edges");
                        bool collinear = (ring.X[i] == ring.X[j] && ring.X[j] == ring.X[k]) || (ring.Y[i] == ring.Y[j] && ring.Y[j] == ring.Y[k]);
                        Assert.IsFalse(collinear, $"label {outline.Label}: vertex {j} is not a corner");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void VolumesGiveOneOutlinePerSlice()
    {
        var outlines = LabelOutlines.Trace(ExportScenes.Labels3D());
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, outlines.Where(o => o.Label == 1).Select(o => o.Z).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 3 }, outlines.Where(o => o.Label == 2).Select(o => o.Z).ToArray());
        Assert.HasCount(1, outlines.Single(o => o.Label == 5 && o.Z == 2).Polygons[0].Holes);
        Assert.IsEmpty(LabelOutlines.Trace(new ImageBuffer<uint>(ImageShape.Of2D(3, 3))));
    }

    /// <summary>Every label's outline filled (even-odd, pixel centres) equals that label's pixels, slice by slice.</summary>
    internal static void AssertOutlinesFill(ImageBuffer<uint> labels)
    {
        var shape = labels.Shape;
        int plane = shape.Height * shape.Width;
        var outlines = LabelOutlines.Trace(labels);
        var seen = new HashSet<(uint, int)>();
        foreach (var outline in outlines)
        {
            Assert.IsTrue(seen.Add((outline.Label, outline.Z)), "one outline per label and slice");
            var rings = outline.Rings.Select(r => (r.X.Select(v => (double)v).ToArray(), r.Y.Select(v => (double)v).ToArray())).ToList();
            var filled = PolygonRaster.Fill(rings, shape.Height, shape.Width);
            long count = 0;
            for (int i = 0; i < plane; i++)
            {
                bool isLabel = labels.Data[outline.Z * plane + i] == outline.Label;
                Assert.AreEqual(isLabel, filled[i], $"label {outline.Label}, slice {outline.Z}, pixel (y {i / shape.Width}, x {i % shape.Width})");
                count += isLabel ? 1 : 0;
            }

            Assert.AreEqual(count, outline.Area);
        }

        var present = new HashSet<(uint, int)>();
        for (int i = 0; i < labels.Data.Length; i++)
        {
            if (labels.Data[i] != 0)
                present.Add((labels.Data[i], i / plane));
        }

        Assert.IsTrue(present.SetEquals(seen), "every label in every slice has an outline");
    }
}
