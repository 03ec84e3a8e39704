using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class InstanceLabelerTests
{
    /// <summary>Touching disks on a grid, as instance truth (2D) or touching balls (3D).</summary>
    internal static ImageBuffer<uint> TouchingNuclei(ImageShape shape, int seed)
    {
        var rng = new Random(seed);
        var labels = new uint[shape.Length];
        uint next = 0;
        int step = shape.Is3D ? 10 : 16;
        for (int cz = shape.Is3D ? 6 : 0; cz < shape.Depth; cz += step)
            for (int cy = 8; cy < shape.Height - 4; cy += step)
                for (int cx = 8; cx < shape.Width - 4; cx += step)
                {
                    double r = (shape.Is3D ? 5.5 : 9.0) + rng.NextDouble();
                    uint id = ++next;
                    for (int z = 0; z < shape.Depth; z++)
                        for (int y = 0; y < shape.Height; y++)
                            for (int x = 0; x < shape.Width; x++)
                            {
                                double dz = shape.Is3D ? z - cz : 0;
                                if (dz * dz + (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r && labels[shape.IndexOf(z, y, x)] == 0)
                                    labels[shape.IndexOf(z, y, x)] = id;
                            }
                }

        return new ImageBuffer<uint>(labels, shape);
    }

    /// <summary>The AD-GAN 3-level coding: per object, normalised distance to its edge &lt; 0.5 is ring (127) else core (255); mapped to [-1, 1].</summary>
    internal static ImageBuffer<float> ThreeLevel(ImageBuffer<uint> truth)
    {
        var map = new float[truth.Data.Length];
        Array.Fill(map, -1f);
        foreach (uint id in truth.Data.Where(v => v != 0).Distinct())
        {
            var own = new ImageBuffer<bool>(truth.Data.Select(v => v == id).ToArray(), truth.Shape);
            var d = DistanceTransform.Euclidean(own);
            float max = d.Data.Max();
            for (int i = 0; i < map.Length; i++)
                if (own.Data[i])
                    map[i] = (d.Data[i] / max < 0.5f ? 127f : 255f) / 127.5f - 1f;
        }

        return new ImageBuffer<float>(map, truth.Shape);
    }

    [TestMethod]
    public void ThreeLevelRoundTripOfTouchingNucleiReachesAji95()
    {
        var truth = TouchingNuclei(ImageShape.Of2D(72, 88), 5);
        var labels = new InstanceLabeler().Label(ThreeLevel(truth));
        var m = new SegmentationEvaluator().EvaluateImage(truth, labels);
        Assert.IsGreaterThanOrEqualTo(0.95, m.AggregatedJaccardIndex, m.ToString());
        Assert.AreEqual(m.TruthObjectCount, m.PredictedObjectCount);
    }

    [TestMethod]
    public void ThreeLevelRoundTripIn3D()
    {
        var truth = TouchingNuclei(ImageShape.Of3D(22, 30, 30), 2);
        var labels = new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = 5 }).Label(ThreeLevel(truth));
        var m = new SegmentationEvaluator().EvaluateImage(truth, labels);
        Assert.IsGreaterThanOrEqualTo(0.9, m.AggregatedJaccardIndex, m.ToString());
        Assert.AreEqual(m.TruthObjectCount, m.PredictedObjectCount);
    }

    [TestMethod]
    public void SemanticModeSplitsTouchingNuclei()
    {
        var truth = TouchingNuclei(ImageShape.Of2D(72, 88), 5);
        var map = new ImageBuffer<float>(truth.Data.Select(v => v == 0 ? -1f : 1f).ToArray(), truth.Shape);
        var labels = new InstanceLabeler(new InstanceLabelOptions { Mode = InstanceLabelMode.Semantic, MinMarkerDistance = 5 }).Label(map);
        var m = new SegmentationEvaluator().EvaluateImage(truth, labels);
        Assert.IsGreaterThanOrEqualTo(0.9, m.F1At50, m.ToString());
    }

    [TestMethod]
    public void ForegroundWithoutCoreKeepsItsOwnLabelAndSmallOnesGo()
    {
        var map = new float[10 * 20];
        Array.Fill(map, -1f);
        for (int y = 2; y < 8; y++)
            for (int x = 2; x < 8; x++)
                map[y * 20 + x] = 0f;   // ring only, no core
        map[0] = 0f;                    // 1-pixel speck
        var labels = new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = 4 }).Label(new ImageBuffer<float>(map, ImageShape.Of2D(10, 20)));
        Assert.AreEqual(1u, labels.Data.Max());
        Assert.AreEqual(0u, labels.Data[0]);
        Assert.AreEqual(36, labels.Data.Count(v => v == 1));
    }

    [TestMethod]
    public void InvalidOptionsAreRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new InstanceLabeler(new InstanceLabelOptions { MinObjectSize = -1 }));
        StringAssert.Contains(e.Message, "MinObjectSize");
    }
}
