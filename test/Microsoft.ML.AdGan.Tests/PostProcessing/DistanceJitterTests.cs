using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class DistanceJitterTests
{
    [TestMethod]
    [DataRow(0u, new[] { 0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047 })]
    [DataRow(1u, new[] { 0.417022004702574, 0.7203244934421581, 0.00011437481734488664 })]
    [DataRow(42u, new[] { 0.3745401188473625, 0.9507143064099162, 0.7319939418114051 })]
    public void TheGeneratorGivesNumpysRandomStateStream(uint seed, double[] expected)
    {
        var random = new MersenneTwister(seed);
        foreach (double value in expected)
            Assert.AreEqual(value, random.NextDouble(), 0.0);
    }

    [TestMethod]
    public void TheGeneratorKeepsNumpysStreamPastTheFirstTwist()
    {
        // 624 words per twist, two words per double: the 313th double is the first drawn after a second twist.
        var random = new MersenneTwister(0);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        Assert.IsTrue(values.All(v => v is >= 0 and < 1));
        Assert.AreEqual(0.5, values.Average(), 0.03);
        Assert.AreEqual(1000, values.Distinct().Count());
    }

    /// <summary>A filled rectangle: its distance transform has a flat ridge of ties (height even: two rows of equal maxima).</summary>
    private static ImageBuffer<float> Rectangles(int height, int width, params (int Y, int X, int H, int W)[] boxes)
    {
        var image = new ImageBuffer<float>(ImageShape.Of2D(height, width));
        foreach (var (y0, x0, h, w) in boxes)
            for (int y = y0; y < y0 + h; y++)
                for (int x = x0; x < x0 + w; x++)
                    image[y, x] = 200;
        return image;
    }

    private static ImageBuffer<uint> Segment(ImageBuffer<float> image, double jitter, int seed, int? peakSpacing = 1) =>
        new ThresholdSegmentation(new ThresholdSegmentationOptions { MinDiameter = 10, BlurSigma = 0, DistanceJitter = jitter, JitterSeed = seed, PeakSpacing = peakSpacing }).Segment(image);

    [TestMethod]
    public void TheJitterLeavesAFlatRidgeASingleMaximum()
    {
        // 12 x 19: the ridge of distance 6 is 2 x 9 pixels of equal values, all maxima of their disk (marker radius 7).
        var image = Rectangles(40, 50, (14, 14, 12, 19));
        Assert.AreEqual(2u, Segment(image, 0, 0, peakSpacing: null).Data.Max(), "ties kept a marker radius apart cut it in two");
        Assert.AreNotEqual(1u, Segment(image, 0, 0).Data.Max(), "every tie a marker, it falls apart into fragments");
        Assert.AreEqual(1u, Segment(image, 0.001, 0).Data.Max());
        int single = Enumerable.Range(0, 10).Count(seed => Segment(image, 0.001, seed).Data.Max() == 1);
        Assert.IsGreaterThanOrEqualTo(8, single);
    }

    [TestMethod]
    public void JitterOnlyBreaksTiesSoTwoTouchingDisksStaySplit()
    {
        var shape = ImageShape.Of2D(40, 60);
        var image = new ImageBuffer<float>(shape);
        foreach (var (cy, cx) in new[] { (20, 20), (20, 37) })
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 60; x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= 100)
                        image[y, x] = 200;
        for (int seed = 0; seed < 5; seed++)
        {
            var labels = Segment(image, 0.001, seed);
            Assert.AreEqual(2u, labels.Data.Max());
            Assert.AreNotEqual(labels[20, 20], labels[20, 37]);
        }
    }

    private static ImageBuffer<float> ManyRidges()
    {
        var boxes = new List<(int, int, int, int)>();
        for (int k = 0; k < 12; k++)
            boxes.Add((4 + 26 * (k / 4), 4 + 30 * (k % 4), 10 + 2 * (k % 3), 17 + k % 5));
        return Rectangles(84, 124, boxes.ToArray());
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameLabels()
    {
        var image = ManyRidges();
        for (int seed = 0; seed < 3; seed++)
            CollectionAssert.AreEqual(Segment(image, 0.001, seed).Data, Segment(image, 0.001, seed).Data);
    }

    [TestMethod]
    public void DifferentSeedsCanGiveDifferentLabels()
    {
        var image = ManyRidges();
        var first = Segment(image, 0.001, 0).Data;
        Assert.IsTrue(Enumerable.Range(1, 4).Any(seed => !Segment(image, 0.001, seed).Data.SequenceEqual(first)));
    }

    [TestMethod]
    public void JitterIsAddedOnlyInsideTheForeground()
    {
        var distance = new float[] { 0, 1, 2, 0 };
        var foreground = new[] { false, true, true, false };
        ThresholdSegmentation.AddJitter(distance, foreground, 0.001, 0);
        Assert.AreEqual(0f, distance[0]);
        Assert.AreEqual(0f, distance[3]);
        // numpy: RandomState(0).uniform(0, 0.001, 4) = [0.000549, 0.000715, 0.000603, 0.000545]
        Assert.AreEqual(1 + 0.0007151893663724195, distance[1], 1e-6);
        Assert.AreEqual(2 + 0.0006027633760716439, distance[2], 1e-6);
    }

    [TestMethod]
    public void TheOptionsAreValidatedAndRoundTripThroughTheCodec()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ThresholdSegmentation(new ThresholdSegmentationOptions { DistanceJitter = -0.1 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ThresholdSegmentation(new ThresholdSegmentationOptions { JitterSeed = -1 }));
        var defaults = new ThresholdSegmentationOptions();
        Assert.AreEqual(0.001, defaults.DistanceJitter);
        Assert.AreEqual(0, defaults.JitterSeed);
        var decoded = ThresholdSegmentationCodec.Decode(ThresholdSegmentationCodec.Encode(new ThresholdSegmentationOptions { DistanceJitter = 0.002, JitterSeed = 123456789 }));
        Assert.AreEqual(0.002, decoded.DistanceJitter, 1e-9);
        Assert.AreEqual(123456789, decoded.JitterSeed);

        // Options saved before the jitter existed keep their labels: no jitter.
        var v1 = ThresholdSegmentationCodec.Encode(defaults)[..10];
        v1[0] = 1;
        Assert.AreEqual(0.0, ThresholdSegmentationCodec.Decode(v1).DistanceJitter);
    }
}
