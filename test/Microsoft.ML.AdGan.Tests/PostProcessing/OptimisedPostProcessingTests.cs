using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

/// <summary>The labelling primitives give exactly the results of the plain code they replaced or must match (<see cref="ReferencePostProcessing"/>).</summary>
[TestClass]
public sealed class OptimisedPostProcessingTests
{
    private static readonly ImageShape[] Shapes = { ImageShape.Of2D(61, 75), ImageShape.Of3D(9, 17, 20) };

    /// <summary>Touching nuclei coded as 3-level maps, with holes punched into some of them and speckle noise.</summary>
    private static ImageBuffer<float> TouchingMap(ImageShape shape, int seed, VoxelSize? spacing = null)
    {
        var truth = InstanceLabelerTests.TouchingNuclei(shape, seed);
        var map = InstanceLabelerTests.ThreeLevel(truth).Data;
        var rng = new Random(seed);
        for (int i = 0; i < map.Length; i++)
        {
            if (rng.NextDouble() < 0.03)
                map[i] = -1f; // holes and gaps inside nuclei
            else if (rng.NextDouble() < 0.01)
                map[i] = rng.NextDouble() < 0.5 ? 0f : 1f; // stray ring and core pixels in the background
        }

        return new ImageBuffer<float>(map, shape, spacing);
    }

    /// <summary>Random map with values of a coarse grid (many ties) or continuous ones.</summary>
    private static ImageBuffer<float> RandomMap(ImageShape shape, int seed, bool quantised, VoxelSize? spacing = null)
    {
        var rng = new Random(seed);
        var map = new float[shape.Length];
        for (int i = 0; i < map.Length; i++)
        {
            double v = rng.NextDouble() * 2 - 1;
            map[i] = quantised ? (float)(Math.Round(v * 4) / 4) : (float)v;
        }

        return new ImageBuffer<float>(map, shape, spacing);
    }

    private static IEnumerable<(string Name, ImageBuffer<float> Map)> Maps()
    {
        foreach (var shape in Shapes)
        {
            var spacing = shape.Is3D ? new VoxelSize(2.5, 1.0, 1.3) : new VoxelSize(1, 1.0, 1.7);
            for (int seed = 1; seed <= 2; seed++)
            {
                yield return ($"touching {shape} seed {seed}", TouchingMap(shape, seed));
                yield return ($"touching {shape} seed {seed} anisotropic", TouchingMap(shape, seed, spacing));
                yield return ($"random quantised {shape} seed {seed}", RandomMap(shape, seed, quantised: true));
                yield return ($"random continuous {shape} seed {seed} anisotropic", RandomMap(shape, seed, quantised: false, spacing));
            }
        }
    }

    private static IEnumerable<(string Name, InstanceLabelOptions Options)> OptionSets()
    {
        yield return ("defaults", new InstanceLabelOptions());
        yield return ("negated map, face, border dropped", new InstanceLabelOptions { Growth = InstanceGrowth.MapValue, Connectivity = Connectivity.Face, DropBorderObjects = true, MinObjectSize = 3 });
        yield return ("core size 3, no holes filled", new InstanceLabelOptions { MinCoreSize = 3, FillHoles = false, MinObjectSize = 1 });
        yield return ("semantic", new InstanceLabelOptions { Mode = InstanceLabelMode.Semantic, MinMarkerDistance = 3, MinObjectSize = 4 });
    }

    [TestMethod]
    public void InstanceLabelerEqualsTheReferenceOnTouchingAndRandomMaps2DAnd3D()
    {
        int compared = 0, objects = 0;
        foreach (var (mapName, map) in Maps())
        {
            foreach (var (optionName, options) in OptionSets())
            {
                var expected = ReferencePostProcessing.Label(map, options);
                var actual = new InstanceLabeler(options).Label(map).Data;
                CollectionAssert.AreEqual(expected, actual, $"{mapName}, {optionName}");
                compared++;
                objects += (int)expected.Max();
            }
        }

        Assert.AreEqual(64, compared);
        Assert.IsGreaterThan(1000, objects, "the inputs must hold objects to label");
    }

    [TestMethod]
    public void WatershedQueuesPopInTheSameOrder()
    {
        foreach (var shape in Shapes)
        {
            foreach (bool quantised in new[] { true, false })
            {
                var surface = RandomMap(shape, 7, quantised).Data;
                surface[3] = float.NaN;
                surface[5] = -0f;
                var rng = new Random(8);
                var markers = surface.Select(_ => rng.NextDouble() < 0.02 ? (uint)rng.Next(1, 9) : 0u).ToArray();
                var mask = surface.Select(_ => rng.NextDouble() < 0.85).ToArray();
                var expected = ReferencePostProcessing.Flood(surface, markers, mask, shape, Connectivity.Full);
                var buckets = Watershed.FloodCore(surface, markers, mask, shape, Connectivity.Full, new Watershed.ValueBuckets());
                var heap = Watershed.FloodCore(surface, markers, mask, shape, Connectivity.Full, new Watershed.AgeHeap());
                CollectionAssert.AreEqual(expected, buckets, $"{shape}, quantised {quantised}, value buckets");
                CollectionAssert.AreEqual(expected, heap, $"{shape}, quantised {quantised}, age heap");
                Assert.IsGreaterThan(expected.Length / 2, expected.Count(l => l != 0));
            }
        }
    }

    [TestMethod]
    public void PerObjectHoleFillingEqualsTheReferenceOnNestedRingsAndNoise()
    {
        foreach (var shape in Shapes)
        {
            for (int seed = 0; seed < 6; seed++)
            {
                var rng = new Random(seed);
                var labels = new uint[shape.Length];
                // Nested square rings (an outer ring enclosing an inner one, both with holes) in both label orders.
                for (int ring = 0; ring < 4; ring++)
                {
                    int c = 2 + ring * 2;
                    uint id = seed % 2 == 0 ? (uint)(ring + 1) : (uint)(4 - ring);
                    for (int z = 0; z < shape.Depth; z++)
                        for (int y = c; y < shape.Height - c; y++)
                            for (int x = c; x < shape.Width - c; x++)
                            {
                                bool zEdge = shape.Is3D && (z == c || z == shape.Depth - 1 - c);
                                bool inZ = !shape.Is3D || (z >= c && z <= shape.Depth - 1 - c);
                                if (inZ && (zEdge || y == c || y == shape.Height - 1 - c || x == c || x == shape.Width - 1 - c))
                                    labels[shape.IndexOf(z, y, x)] = id;
                            }
                }

                // Speckles of other labels between and inside the rings (the rings stay closed).
                for (int i = 0; i < labels.Length; i++)
                    if (labels[i] == 0 && rng.NextDouble() < 0.2)
                        labels[i] = (uint)rng.Next(1, 12);
                var connectivity = seed < 3 ? Connectivity.Face : Connectivity.Full;
                var expected = (uint[])labels.Clone();
                ReferencePostProcessing.FillPerObject(expected, shape, connectivity);
                var actual = HoleFilling.FillPerObject(new ImageBuffer<uint>(labels, shape), connectivity).Data;
                CollectionAssert.AreEqual(expected, actual, $"{shape}, seed {seed}, {connectivity}");
                Assert.IsGreaterThan(labels.Count(l => l != 0), expected.Count(l => l != 0), "the input must have holes to fill");
            }
        }
    }

    [TestMethod]
    public void DistanceTransformEqualsTheReferenceBitForBit()
    {
        foreach (var shape in Shapes.Append(ImageShape.Of3D(3, 40, 37)))
        {
            var rng = new Random(4);
            var mask = Enumerable.Range(0, (int)shape.Length).Select(_ => rng.NextDouble() < 0.9).ToArray();
            foreach (var spacing in new VoxelSize?[] { null, shape.Is3D ? new VoxelSize(3.0, 1.1, 0.9) : new VoxelSize(1, 1.3, 0.7) })
            {
                var expected = ReferencePostProcessing.SquaredEuclidean(mask, shape, spacing);
                var actual = DistanceTransform.SquaredEuclidean(mask, shape, spacing);
                CollectionAssert.AreEqual(expected, actual, $"{shape}, spacing {spacing}");
            }
        }
    }
}
