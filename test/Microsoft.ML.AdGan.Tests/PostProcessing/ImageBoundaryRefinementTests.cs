using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class ImageBoundaryRefinementTests
{
    private static readonly ImageShape Shape = ImageShape.Of2D(64, 128);

    /// <summary>Two touching disks and one alone on the left; the right part is empty.</summary>
    private static ImageBuffer<uint> Disks(double radius)
    {
        var centres = new (int Y, int X)[] { (20, 20), (20, 38), (46, 28) };
        var labels = new uint[Shape.Length];
        for (int y = 0; y < Shape.Height; y++)
            for (int x = 0; x < Shape.Width; x++)
                for (int k = 0; k < centres.Length; k++)
                    if ((y - centres[k].Y) * (y - centres[k].Y) + (x - centres[k].X) * (x - centres[k].X) <= radius * radius && labels[Shape.IndexOf(0, y, x)] == 0)
                        labels[Shape.IndexOf(0, y, x)] = (uint)(k + 1);
        return new ImageBuffer<uint>(labels, Shape);
    }

    /// <summary>A fluorescence-like image of the truth: dim background, bright nuclei, and optionally a bright blob far from them.</summary>
    private static ImageBuffer<float> Image(ImageBuffer<uint> truth, bool extraBlob)
    {
        var data = new float[Shape.Length];
        for (int y = 0; y < Shape.Height; y++)
            for (int x = 0; x < Shape.Width; x++)
            {
                int i = Shape.IndexOf(0, y, x);
                bool blob = extraBlob && (y - 32) * (y - 32) + (x - 100) * (x - 100) <= 64;
                data[i] = truth.Data[i] != 0 || blob ? 200 : 20;
            }
        return new ImageBuffer<float>(data, Shape);
    }

    private static InstanceLabelOptions Split(double band) => new() { Mode = InstanceLabelMode.Semantic, ForegroundThreshold = -0.7f, MinMarkerDistance = 5, ImageBoundaryBand = band };

    [TestMethod]
    public void TheImageMovesBoundariesTheMapPlacedTooTight()
    {
        var truth = Disks(10);
        var tooSmall = InstanceLabelerTests.ThreeLevel(Disks(7)); // the map's nuclei are 3 pixels too small
        var image = Image(truth, extraBlob: false);

        var plain = new InstanceLabeler(Split(0)).Label(tooSmall);
        var refined = new InstanceLabeler(Split(4)).Label(tooSmall, image);

        var evaluator = new SegmentationEvaluator();
        var before = evaluator.EvaluateImage(truth, plain);
        var after = evaluator.EvaluateImage(truth, refined);
        Assert.IsLessThan(0.85, before.Dice, "the test needs a map whose boundaries are off");
        Assert.IsGreaterThan(0.97, after.Dice);
        Assert.IsGreaterThan(0.9, after.AggregatedJaccardIndex, "the touching pair stays split");
        Assert.AreEqual(3u, refined.Data.Max());
    }

    [TestMethod]
    public void TheBandLimitsHowFarTheImageReaches()
    {
        var truth = Disks(10);
        var tooSmall = InstanceLabelerTests.ThreeLevel(Disks(7));
        var image = Image(truth, extraBlob: true);

        var narrow = new InstanceLabeler(Split(1)).Label(tooSmall, image);
        var wide = new InstanceLabeler(Split(4)).Label(tooSmall, image);

        int Area(ImageBuffer<uint> l) => l.Data.Count(v => v != 0);
        Assert.IsLessThan(Area(wide), Area(narrow), "one pixel of band grows the nuclei by one pixel at most");
        Assert.IsLessThan(Area(Disks(8.5)), Area(narrow));
        Assert.AreEqual(3u, wide.Data.Max(), "the bright blob far from every nucleus of the map is not added");
        for (int x = 90; x < 110; x++)
            Assert.AreEqual(0u, wide[32, x]);
    }

    [TestMethod]
    public void ADarkImageDoesNotRemoveTheMapsNuclei()
    {
        var map = InstanceLabelerTests.ThreeLevel(Disks(10));
        var dark = Image(Disks(10), extraBlob: true);
        // Only the blob is bright here: the map's nuclei are dark in the image, so they shrink to the band's inner edge but stay.
        for (int i = 0; i < dark.Data.Length; i++)
            if (Disks(10).Data[i] != 0)
                dark.Data[i] = 20;

        var refined = new InstanceLabeler(Split(2)).Label(map, dark);

        Assert.AreEqual(3u, refined.Data.Max());
        Assert.IsGreaterThan(Disks(7.5).Data.Count(v => v != 0), refined.Data.Count(v => v != 0));
    }

    [TestMethod]
    public void AFlatImageLeavesTheMapsForeground()
    {
        var map = InstanceLabelerTests.ThreeLevel(Disks(10));
        var flat = new ImageBuffer<float>(Enumerable.Repeat(5f, (int)Shape.Length).ToArray(), Shape);

        var refined = new InstanceLabeler(Split(2)).Label(map, flat);

        CollectionAssert.AreEqual(new InstanceLabeler(Split(0)).Label(map).Data, refined.Data);
    }

    [TestMethod]
    public void RefiningCountsTheBandInWorkingPixels()
    {
        var truth = Disks(10);
        var tooSmall = InstanceLabelerTests.ThreeLevel(Disks(7));
        var image = Image(truth, extraBlob: false);
        var options = Split(1);
        options.MinMarkerDistance = 3;

        // One working pixel at scale 0.5 is two pixels of the image: more growth than one pixel at scale 1.
        var atHalf = new InstanceLabeler(options).Label(tooSmall, image, 0.5);
        var atOne = new InstanceLabeler(options).Label(tooSmall, image, 1.0);

        Assert.AreEqual(Shape, atHalf.Shape);
        Assert.IsGreaterThan(atOne.Data.Count(v => v != 0), atHalf.Data.Count(v => v != 0));
    }

    [TestMethod]
    public void ABandWithoutItsImageIsAnErrorThatSaysWhatToDo()
    {
        var map = InstanceLabelerTests.ThreeLevel(Disks(10));
        var labeler = new InstanceLabeler(Split(2));

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => labeler.Label(map));
        StringAssert.Contains(e.Message, "ImageBoundaryBand");
        Assert.ThrowsExactly<ArgumentException>(() => labeler.Label(map, new ImageBuffer<float>(ImageShape.Of2D(8, 8))));
        Assert.ThrowsExactly<ArgumentException>(() => new MLContext().Nuclei().LabelInstances("Labels", "Decoded", Split(2)));
        var range = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Split(-1).Validate());
        Assert.AreEqual("ImageBoundaryBand", range.ParamName);
        Assert.AreEqual("ImageBlurSigma", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new InstanceLabelOptions { ImageBlurSigma = double.NaN }.Validate()).ParamName);
    }

    [TestMethod]
    public void ForAdGanRefinesImagesButNotVolumesOrTheReferenceDecoding()
    {
        var settings = new AdGanInferenceSettings { ImageScale = 0.16 };
        Assert.AreEqual(AdGanLabeling.ImageBoundaryBand, AdGanLabeling.For(settings).ImageBoundaryBand);
        Assert.AreEqual(0, AdGanLabeling.For(settings with { Dimensions = 3 }).ImageBoundaryBand);
        Assert.AreEqual(0, AdGanLabeling.For(settings with { Decoding = AdGanDecoding.Cores }).ImageBoundaryBand);
        Assert.AreEqual(0, new InstanceLabelOptions().ImageBoundaryBand, "plain options leave the map alone");
    }

    [TestMethod]
    public void ALocalThresholdKeepsADimNucleusBesideAVeryBrightOne()
    {
        // The lone disk is dim (40 on 20), the touching pair very bright (2000): one Otsu threshold sits far above the dim one.
        var truth = Disks(10);
        var tooSmall = InstanceLabelerTests.ThreeLevel(Disks(7));
        var image = Image(truth, extraBlob: false);
        for (int i = 0; i < image.Data.Length; i++)
            image.Data[i] = truth.Data[i] == 3 ? 40 : truth.Data[i] != 0 ? 2000 : 20;
        var global = Split(4);
        var local = Split(4);
        local.LocalImageThreshold = true;

        var withGlobal = new InstanceLabeler(global).Label(tooSmall, image);
        var withLocal = new InstanceLabeler(local).Label(tooSmall, image);

        int DimArea(ImageBuffer<uint> labels) => Enumerable.Range(0, labels.Data.Length).Count(i => labels.Data[i] != 0 && Disks(10.5).Data[i] == 3);
        int truthArea = truth.Data.Count(v => v == 3);
        Assert.IsLessThan(0.7 * truthArea, DimArea(withGlobal), "the global threshold shrinks the dim nucleus to the band's inner edge");
        Assert.IsGreaterThan(0.95 * truthArea, DimArea(withLocal));
        Assert.AreEqual(3u, withLocal.Data.Max());
        var evaluator = new SegmentationEvaluator();
        Assert.IsGreaterThan(evaluator.EvaluateImage(truth, withGlobal).Dice, evaluator.EvaluateImage(truth, withLocal).Dice);
    }

    [TestMethod]
    public void ALocalThresholdAgreesWithTheGlobalOneOnEvenlyBrightNuclei()
    {
        var truth = Disks(10);
        var tooSmall = InstanceLabelerTests.ThreeLevel(Disks(7));
        var image = Image(truth, extraBlob: false);
        var local = Split(4);
        local.LocalImageThreshold = true;
        CollectionAssert.AreEqual(new InstanceLabeler(Split(4)).Label(tooSmall, image).Data, new InstanceLabeler(local).Label(tooSmall, image).Data);
    }
}
