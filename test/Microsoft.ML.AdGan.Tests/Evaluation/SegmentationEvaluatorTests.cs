using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Evaluation;

[TestClass]
public sealed class SegmentationEvaluatorTests
{
    private static ImageBuffer<uint> L(int h, int w, params uint[] v) => new(v, ImageShape.Of2D(h, w));

    [TestMethod]
    public void HandMadeCaseHasKnownScores()
    {
        // Truth: object 1 (4 px), object 2 (2 px). Prediction: 5 covers 3 px of object 1 plus 1 background; 6 is a false positive.
        var truth = L(3, 4, 1, 1, 0, 2,
                            1, 1, 0, 2,
                            0, 0, 0, 0);
        var pred = L(3, 4, 5, 5, 5, 0,
                           5, 0, 0, 0,
                           0, 0, 6, 0);
        var m = new SegmentationEvaluator().EvaluateImage(truth, pred, "hand");
        // Pixels: TP 3, FP 2, FN 3.
        Assert.AreEqual(6.0 / 11, m.Dice, 1e-12);
        Assert.AreEqual(3.0 / 8, m.IoU, 1e-12);
        Assert.AreEqual(3.0 / 5, m.Precision, 1e-12);
        Assert.AreEqual(3.0 / 6, m.Recall, 1e-12);
        // AJI: object 1 with 5 (I 3, U 5); object 2 unmatched (U 2); 6 unused (U 1) -> 3 / 8.
        Assert.AreEqual(3.0 / 8, m.AggregatedJaccardIndex, 1e-12);
        // IoU(1,5) = 0.6 > 0.5: one match; F1 = 2 / (2 + 1 + 1).
        Assert.AreEqual(0.5, m.F1At50, 1e-12);
        Assert.AreEqual(0.5, m.ObjectPrecision, 1e-12);
        Assert.AreEqual(0.5, m.ObjectRecall, 1e-12);
        Assert.AreEqual(0.6, m.SegmentationQuality, 1e-12);
        Assert.AreEqual(0.3, m.PanopticQuality, 1e-12);
        // Mean F1: matched at 0.5 and 0.55 only.
        Assert.AreEqual(2 * 0.5 / 10, m.MeanF1, 1e-12);
        // SEG: object 1 covered 3/4 > 1/2 by 5 (J 0.6), object 2 none -> 0.3.
        Assert.AreEqual(0.3, m.CtcSeg, 1e-12);
    }

    [TestMethod]
    public void EmptyVersusEmptyScoresOne()
    {
        var m = new SegmentationEvaluator().EvaluateImage(L(2, 2, 0, 0, 0, 0), L(2, 2, 0, 0, 0, 0));
        Assert.AreEqual(1, m.Dice);
        Assert.AreEqual(1, m.AggregatedJaccardIndex);
        Assert.AreEqual(1, m.F1At50);
        Assert.AreEqual(1, m.MeanF1);
        Assert.AreEqual(1, m.PanopticQuality);
    }

    [TestMethod]
    public void DatasetGivesMeanAndPooled()
    {
        var a = (Name: "a", Truth: L(1, 4, 1, 1, 0, 0), Predicted: L(1, 4, 1, 1, 0, 0));   // perfect
        var b = (Name: "b", Truth: L(1, 4, 1, 1, 1, 1), Predicted: L(1, 4, 0, 0, 0, 0));   // all missed
        var m = new SegmentationEvaluator().Evaluate(new[] { a, b });
        Assert.AreEqual(0.5, m.Dice, 1e-12);
        Assert.AreEqual(0.5, m.Pooled.Dice, 1e-12);              // TP 2, FN 4: 2*2 / (2*2 + 4)
        Assert.AreEqual(2.0 / 6, m.Pooled.AggregatedJaccardIndex, 1e-12);
        Assert.HasCount(2, m.PerImage);
        Assert.AreEqual("b", m.PerImage[1].Name);
    }

    [TestMethod]
    public void ErrorsNameTheImage()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new SegmentationEvaluator().EvaluateImage(L(1, 2, 0, 1), L(2, 1, 0, 1), "img7"));
        StringAssert.Contains(e.Message, "img7");
        var f = Assert.ThrowsExactly<ArgumentException>(() => new SegmentationEvaluator().EvaluateImage(
            new ImageBuffer<float>(new[] { 0f, 1.5f }, ImageShape.Of2D(1, 2)), new ImageBuffer<float>(new[] { 0f, 1f }, ImageShape.Of2D(1, 2)), "img8"));
        StringAssert.Contains(f.Message, "img8");
        StringAssert.Contains(f.Message, "1.5");
    }

    [TestMethod]
    public void BinaryInputsAreSplitIntoComponents()
    {
        var truth = L(1, 5, 1, 1, 0, 1, 1);
        var options = new SegmentationEvaluatorOptions { TruthKind = SegmentationInputKind.Binary, PredictedKind = SegmentationInputKind.Binary };
        var m = new SegmentationEvaluator(options).EvaluateImage(truth, truth);
        Assert.AreEqual(2, m.TruthObjectCount);
        Assert.AreEqual(1, m.F1At50);
    }

    [TestMethod]
    public void AjiAndMatchingAgreeWithBruteForceOnRandomMaps()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 30; trial++)
        {
            int h = 12, w = 15;
            var t = RandomBlobs(rng, h, w, rng.Next(0, 6));
            var p = RandomBlobs(rng, h, w, rng.Next(0, 6));
            var m = new SegmentationEvaluator().EvaluateImage(L(h, w, t), L(h, w, p));
            var (aji, matches, f1) = BruteForce(t, p);
            Assert.AreEqual(aji, m.AggregatedJaccardIndex, 1e-12, $"trial {trial}");
            Assert.AreEqual(f1, m.F1At50, 1e-12, $"trial {trial}");
            Assert.AreEqual(matches, (long)Math.Round(m.ObjectRecall * m.TruthObjectCount), $"trial {trial}");
        }
    }

    private static uint[] RandomBlobs(Random rng, int h, int w, int n)
    {
        var v = new uint[h * w];
        for (uint id = 1; id <= n; id++)
        {
            int y0 = rng.Next(h), x0 = rng.Next(w), hh = rng.Next(1, 6), ww = rng.Next(1, 6);
            for (int y = y0; y < Math.Min(h, y0 + hh); y++)
                for (int x = x0; x < Math.Min(w, x0 + ww); x++)
                    v[y * w + x] = id;
        }

        return v;
    }

    /// <summary>O(n^2) Kumar AJI and IoU &gt; 0.5 matching, straight from the definitions.</summary>
    private static (double Aji, long Matches, double F1) BruteForce(uint[] t, uint[] p)
    {
        var tIds = t.Where(v => v != 0).Distinct().OrderBy(v => v).ToList();
        var pIds = p.Where(v => v != 0).Distinct().OrderBy(v => v).ToList();
        if (tIds.Count == 0 && pIds.Count == 0)
            return (1, 0, 1);
        long Inter(uint a, uint b) => Enumerable.Range(0, t.Length).Count(i => t[i] == a && p[i] == b);
        long Union(uint a, uint b) => Enumerable.Range(0, t.Length).Count(i => t[i] == a || p[i] == b);
        long c = 0, u = 0, matches = 0;
        var used = new HashSet<uint>();
        foreach (var a in tIds)
        {
            uint best = 0;
            double bestIoU = 0;
            foreach (var b in pIds)
            {
                double iou = (double)Inter(a, b) / Union(a, b);
                if (iou > 0.5)
                    matches++;
                if (iou > bestIoU)
                {
                    bestIoU = iou;
                    best = b;
                }
            }

            if (best == 0)
            {
                u += t.Count(v => v == a);
            }
            else
            {
                c += Inter(a, best);
                u += Union(a, best);
                used.Add(best);
            }
        }

        foreach (var b in pIds.Where(b => !used.Contains(b)))
            u += p.Count(v => v == b);
        return (u == 0 ? 1 : (double)c / u, matches, (double)2 * matches / (tIds.Count + pIds.Count));
    }
}
