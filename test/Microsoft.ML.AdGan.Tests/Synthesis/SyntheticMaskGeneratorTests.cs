using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class SyntheticMaskGeneratorTests
{
    private static SyntheticMaskOptions Small2D(SyntheticMaskCoding coding = SyntheticMaskCoding.Semantic, int seed = 3) => new()
    {
        PatchShape = ImageShape.Of2D(48, 56),
        SemiAxis = (4, 9),
        CountPerPatch = (2, 12),
        Coding = coding,
        Seed = seed,
    };

    private static SyntheticMaskOptions Small3D(SyntheticMaskCoding coding = SyntheticMaskCoding.Semantic, int seed = 5) => new()
    {
        PatchShape = ImageShape.Of3D(8, 20, 24),
        SemiAxis = (2, 6),
        CountPerPatch = (1, 10),
        Coding = coding,
        Seed = seed,
    };

    [TestMethod]
    public void TargetCountLiesInRangeAndIsReachedUnlessStoppedByRejections()
    {
        // A loose and a crowded prior, so that both outcomes occur.
        var loose = new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(64, 64), SemiAxis = (3, 6), CountPerPatch = (3, 9), Seed = 1 };
        var crowded = new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(32, 32), SemiAxis = (6, 10), CountPerPatch = (20, 30), MaxConsecutiveRejections = 20, Seed = 2 };
        int stopped = 0, reached = 0;
        foreach (var options in new[] { loose, crowded })
        {
            var generator = new SyntheticMaskGenerator(options);
            for (int i = 0; i < 40; i++)
            {
                var patch = generator.Generate(i);
                Assert.IsTrue(patch.TargetCount >= options.CountPerPatch.Min && patch.TargetCount <= options.CountPerPatch.Max, $"target {patch.TargetCount}");
                Assert.IsLessThanOrEqualTo(patch.TargetCount, patch.Ellipses.Count);
                if (patch.StoppedByRejections)
                {
                    stopped++;
                    Assert.IsLessThan(patch.TargetCount, patch.Ellipses.Count);
                }
                else
                {
                    reached++;
                    Assert.HasCount(patch.TargetCount, patch.Ellipses);
                }
            }
        }

        Assert.IsGreaterThan(0, stopped, "the crowded prior should stop on rejections");
        Assert.IsGreaterThan(0, reached);
    }

    [TestMethod]
    public void TargetCountCoversBothInclusiveEnds()
    {
        var options = new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(64, 64), SemiAxis = (2, 3), CountPerPatch = (1, 3), Seed = 4 };
        var generator = new SyntheticMaskGenerator(options);
        var seen = Enumerable.Range(0, 60).Select(i => generator.Generate(i).TargetCount).ToHashSet();
        CollectionAssert.AreEquivalent(new[] { 1, 2, 3 }, seen.ToArray());
    }

    [TestMethod]
    public void SemiAxesLieInTheDocumentedRange()
    {
        foreach (var options in new[] { Small2D(), Small3D() })
        {
            var generator = new SyntheticMaskGenerator(options);
            var seenA = new HashSet<int>();
            for (int i = 0; i < 30; i++)
            {
                foreach (var e in generator.Generate(i).Ellipses)
                {
                    seenA.Add(e.SemiAxisA);
                    Assert.IsTrue(e.SemiAxisA >= options.SemiAxis.Min && e.SemiAxisA < options.SemiAxis.Max, $"a = {e.SemiAxisA}");
                    Assert.IsTrue(e.Eccentricity >= 0.25 && e.Eccentricity < 0.75, $"e = {e.Eccentricity}");
                    Assert.AreEqual(Math.Max(1, (int)(Math.Sqrt(1 - e.Eccentricity * e.Eccentricity) * e.SemiAxisA)), e.SemiAxisB);
                    Assert.IsLessThanOrEqualTo(e.SemiAxisA, e.SemiAxisB);
                    if (e.Is3D)
                        Assert.AreEqual(Math.Max(1, (int)(Math.Sqrt(1 - e.Eccentricity2 * e.Eccentricity2) * e.SemiAxisA)), e.SemiAxisC);
                }
            }

            // Max is exclusive: every integer from Min to Max - 1 occurs, Max never does.
            CollectionAssert.AreEquivalent(Enumerable.Range(options.SemiAxis.Min, options.SemiAxis.Max - options.SemiAxis.Min).ToArray(), seenA.ToArray());
        }
    }

    [TestMethod]
    public void EqualSemiAxisBoundsGiveThatAxis()
    {
        var options = new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(40, 40), SemiAxis = (5, 5), CountPerPatch = (3, 3), Seed = 8 };
        foreach (var e in new SyntheticMaskGenerator(options).Generate(0).Ellipses)
            Assert.AreEqual(5, e.SemiAxisA);
    }

    [TestMethod]
    public void EllipsesDoNotOverlapAndTheLabelMapMatchesTheirParameters2D()
        => CheckLabelsAgainstParameters(Small2D(), patches: 12);

    [TestMethod]
    public void EllipsoidsDoNotOverlapAndTheLabelMapMatchesTheirParameters3D()
        => CheckLabelsAgainstParameters(Small3D(), patches: 8);

    [TestMethod]
    public void TinyVolumesWork()
    {
        var options = new SyntheticMaskOptions { PatchShape = ImageShape.Of3D(1, 3, 3), SemiAxis = (1, 2), CountPerPatch = (0, 4), Coding = SyntheticMaskCoding.ThreeLevel, Seed = 9 };
        CheckLabelsAgainstParameters(options, patches: 20);
        var options2 = new SyntheticMaskOptions { PatchShape = ImageShape.Of3D(2, 5, 4), SemiAxis = (1, 4), CountPerPatch = (1, 5), Coding = SyntheticMaskCoding.ThreeLevel, Seed = 9 };
        CheckLabelsAgainstParameters(options2, patches: 20);
    }

    [TestMethod]
    public void SemanticMasksHoldExactly0And255WhereLabelsAre()
    {
        foreach (var options in new[] { Small2D(), Small3D() })
        {
            var generator = new SyntheticMaskGenerator(options);
            for (int i = 0; i < 5; i++)
            {
                var patch = generator.Generate(i);
                for (int p = 0; p < patch.Mask.Data.Length; p++)
                    Assert.AreEqual(patch.Labels.Data[p] != 0 ? (byte)255 : (byte)0, patch.Mask.Data[p]);
                CollectionAssert.AreEquivalent(new byte[] { 0, 255 }, patch.Mask.Data.Distinct().ToArray());
            }
        }
    }

    [TestMethod]
    public void InstanceMasksHoldExactly0And127And255()
    {
        foreach (var options in new[] { Small2D(SyntheticMaskCoding.ThreeLevel), Small3D(SyntheticMaskCoding.ThreeLevel) })
        {
            var generator = new SyntheticMaskGenerator(options);
            for (int i = 0; i < 5; i++)
            {
                var patch = generator.Generate(i);
                CollectionAssert.AreEquivalent(new byte[] { 0, 127, 255 }, patch.Mask.Data.Distinct().ToArray());
                for (int p = 0; p < patch.Mask.Data.Length; p++)
                    Assert.AreEqual(patch.Labels.Data[p] == 0, patch.Mask.Data[p] == 0, $"pixel {p}");
            }
        }
    }

    [TestMethod]
    public void InstanceRingIsWhereTheNormalisedDistanceToTheEdgeIsBelowOneHalf()
    {
        foreach (var options in new[] { Small2D(SyntheticMaskCoding.ThreeLevel, seed: 11), Small3D(SyntheticMaskCoding.ThreeLevel, seed: 12) })
        {
            var generator = new SyntheticMaskGenerator(options);
            for (int i = 0; i < 3; i++)
            {
                var patch = generator.Generate(i);
                foreach (var e in patch.Ellipses)
                    CheckRing(patch, e);
            }
        }
    }

    [TestMethod]
    public void SameSeedGivesSamePatchesAndSequentialEqualsIndexed()
    {
        foreach (var make in new Func<SyntheticMaskOptions>[] { () => Small2D(SyntheticMaskCoding.ThreeLevel), () => Small3D() })
        {
            var first = new SyntheticMaskGenerator(make());
            var second = new SyntheticMaskGenerator(make());
            for (int i = 0; i < 4; i++)
            {
                var sequential = first.Generate();
                var indexed = second.Generate(i);
                Assert.AreEqual(i, sequential.Index);
                CollectionAssert.AreEqual(indexed.Mask.Data, sequential.Mask.Data);
                CollectionAssert.AreEqual(indexed.Labels.Data, sequential.Labels.Data);
                Assert.AreEqual(indexed.TargetCount, sequential.TargetCount);
            }

            CollectionAssert.AreEqual(second.Generate(2).Mask.Data, second.Generate(2).Mask.Data);
        }
    }

    [TestMethod]
    public void DifferentSeedsAndIndicesDiffer()
    {
        var a = new SyntheticMaskGenerator(Small2D(seed: 1));
        var b = new SyntheticMaskGenerator(Small2D(seed: 2));
        CollectionAssert.AreNotEqual(a.Generate(0).Labels.Data, b.Generate(0).Labels.Data);
        CollectionAssert.AreNotEqual(a.Generate(0).Labels.Data, a.Generate(1).Labels.Data);
        var c = new SyntheticMaskGenerator(Small3D(seed: 1));
        var d = new SyntheticMaskGenerator(Small3D(seed: 2));
        CollectionAssert.AreNotEqual(c.Generate(0).Labels.Data, d.Generate(0).Labels.Data);
    }

    [TestMethod]
    public void RotationsOfEllipsoidsVary()
    {
        var patch = new SyntheticMaskGenerator(Small3D()).Generate(0);
        var rotations = patch.Ellipses.Select(e => e.Rotation).ToList();
        Assert.IsGreaterThan(1, rotations.Distinct().Count());
        foreach (var (w, x, y, z) in rotations)
            Assert.AreEqual(1.0, w * w + x * x + y * y + z * z, 1e-12);
    }

    private static void CheckLabelsAgainstParameters(SyntheticMaskOptions options, int patches)
    {
        var generator = new SyntheticMaskGenerator(options);
        var shape = options.PatchShape;
        int checkedPixels = 0;
        for (int i = 0; i < patches; i++)
        {
            var patch = generator.Generate(i);
            var pixelsPerLabel = new int[patch.Ellipses.Count + 1];
            for (int z = 0; z < shape.Depth; z++)
            {
                for (int y = 0; y < shape.Height; y++)
                {
                    for (int x = 0; x < shape.Width; x++)
                    {
                        uint label = patch.Labels[z, y, x];
                        Assert.IsLessThanOrEqualTo(patch.Ellipses.Count, (int)label);
                        pixelsPerLabel[label]++;
                        int owners = 0;
                        bool ambiguous = false;
                        foreach (var e in patch.Ellipses)
                        {
                            var inside = EllipseGeometry.Inside(e, z, y, x);
                            ambiguous |= inside is null;
                            if (inside == true)
                            {
                                owners++;
                                Assert.AreEqual((uint)e.Label, label, $"pixel ({z},{y},{x}) of ellipse {e.Label} is labelled {label}");
                            }
                        }

                        Assert.IsLessThanOrEqualTo(1, owners, $"pixel ({z},{y},{x}) lies in {owners} ellipses");
                        if (!ambiguous)
                        {
                            Assert.AreEqual(owners == 0, label == 0, $"pixel ({z},{y},{x})");
                            checkedPixels++;
                        }
                    }
                }
            }

            for (int k = 1; k < pixelsPerLabel.Length; k++)
                Assert.IsGreaterThan(0, pixelsPerLabel[k], $"ellipse {k} has no pixel in the patch");
            for (int k = 0; k < patch.Ellipses.Count; k++)
                Assert.AreEqual(k + 1, patch.Ellipses[k].Label);
        }

        Assert.IsGreaterThan(0, checkedPixels);
    }

    private static void CheckRing(SyntheticMaskPatch patch, SyntheticEllipse e)
    {
        // Brute force: distance from each pixel of the whole ellipse to the nearest pixel centre outside it.
        int r = e.SemiAxisA + 2;
        int zr = e.Is3D ? r : 0;
        int cz = (int)Math.Round(e.CenterZ), cy = (int)Math.Round(e.CenterY), cx = (int)Math.Round(e.CenterX);
        var inside = new List<(int Z, int Y, int X)>();
        var outside = new List<(int Z, int Y, int X)>();
        for (int z = cz - zr; z <= cz + zr; z++)
            for (int y = cy - r; y <= cy + r; y++)
                for (int x = cx - r; x <= cx + r; x++)
                    (EllipseGeometry.Level(e, z, y, x) <= 1 ? inside : outside).Add((z, y, x));
        var distance = inside.Select(p => Math.Sqrt(outside.Min(q => (double)((p.Z - q.Z) * (p.Z - q.Z) + (p.Y - q.Y) * (p.Y - q.Y) + (p.X - q.X) * (p.X - q.X))))).ToArray();
        double max = distance.Max();
        var shape = patch.Mask.Shape;
        for (int i = 0; i < inside.Count; i++)
        {
            var (z, y, x) = inside[i];
            if (z < 0 || y < 0 || x < 0 || z >= shape.Depth || y >= shape.Height || x >= shape.Width)
                continue;
            double normalised = distance[i] / max;
            if (Math.Abs(normalised - 0.5) < 1e-9)
                continue;
            Assert.AreEqual(normalised < 0.5 ? (byte)127 : (byte)255, patch.Mask[z, y, x], $"ellipse {e.Label} pixel ({z},{y},{x}) normalised distance {normalised}");
        }
    }
}
