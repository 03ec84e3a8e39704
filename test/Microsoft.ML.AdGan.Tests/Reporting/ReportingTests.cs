using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Reporting;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using SkiaSharp;

namespace Microsoft.ML.AdGan.Tests.Reporting;

[TestClass]
public sealed class ReportingTests
{
    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new AssertFailedException("not a PNG");

    private static int DistinctColors(SKBitmap bitmap) => bitmap.Pixels.Distinct().Count();

    [TestMethod]
    public void OverlayDiffersFromTheGreyImageExactlyOnContourPixels()
    {
        var sim = TinyTraining.Images(1, size: 40)[0];
        using var plain = Decode(OverlayRenderer.RenderPng(sim.Image, Array.Empty<OverlayLayer>()));
        using var overlay = Decode(OverlayRenderer.RenderPng(sim.Image, new[] { new OverlayLayer(sim.Labels, PlotColor.Red) }));
        Assert.AreEqual(40, overlay.Width);
        Assert.AreEqual(40, overlay.Height);
        var contour = OverlayRenderer.Contours(sim.Labels);
        var grey = OverlayRenderer.Greyscale(sim.Image);
        Assert.IsGreaterThan(0, contour.Count(c => c), "the simulated image has nuclei, so contours");
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                int i = y * 40 + x;
                var p = overlay.GetPixel(x, y);
                Assert.AreEqual(new SKColor(grey[i], grey[i], grey[i]), plain.GetPixel(x, y), $"plain pixel ({x}, {y})");
                if (contour[i])
                    Assert.AreEqual(new SKColor(PlotColor.Red.R, PlotColor.Red.G, PlotColor.Red.B), p, $"contour pixel ({x}, {y})");
                else
                    Assert.AreEqual(plain.GetPixel(x, y), p, $"non-contour pixel ({x}, {y})");
            }
        }
    }

    [TestMethod]
    public void ContoursAreLabelledPixelsWithADifferentFourNeighbour()
    {
        var labels = new ImageBuffer<uint>(ImageShape.Of2D(5, 5));
        for (int y = 1; y <= 3; y++)
            for (int x = 1; x <= 3; x++)
                labels.Data[y * 5 + x] = 1;
        var contour = OverlayRenderer.Contours(labels);
        Assert.AreEqual(8, contour.Count(c => c), "the 3x3 square's ring");
        Assert.IsFalse(contour[2 * 5 + 2], "the centre is inside");
        Assert.IsFalse(contour[0], "background is never a contour");
    }

    [TestMethod]
    public void OverlayRejectsMismatchedLabelsNamingBothShapes()
    {
        var image = new ImageBuffer<float>(ImageShape.Of2D(10, 10));
        var labels = new ImageBuffer<uint>(ImageShape.Of2D(10, 12));
        var e = Assert.ThrowsExactly<ArgumentException>(() => OverlayRenderer.RenderPng(image, new[] { new OverlayLayer(labels, PlotColor.Green) }));
        StringAssert.Contains(e.Message, "10x12");
    }

    [TestMethod]
    public void LossPlotHasTheRequestedSizeLinesAndText()
    {
        var history = Enumerable.Range(1, 30).Select(i => new double[] { i * 10, 1.0 / i, 0.5 + 0.01 * i, 0.3, 0.8 - 0.01 * i, 0.5 }).ToList();
        using var plot = Decode(LossCurvePlot.RenderPng(history, new LossCurvePlotOptions { Width = 640, Height = 320 }));
        Assert.AreEqual(640, plot.Width);
        Assert.AreEqual(320, plot.Height);
        Assert.IsGreaterThan(20, DistinctColors(plot), "anti-aliased lines and text in five colours");
        var series = PlotColor.Series[0];
        Assert.IsTrue(plot.Pixels.Any(p => p.Red == series.R && p.Green == series.G && p.Blue == series.B), "the first series is drawn in its colour");
    }

    [TestMethod]
    public void BundledFontDrawsTextWithoutSystemFonts()
    {
        using var bitmap = new SKBitmap(200, 40);
        bitmap.Erase(SKColors.White);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = Drawing.TextPaint(20))
            canvas.DrawText("AD-GAN 0.123", 4, 28, paint);
        Assert.AreEqual("DejaVu Sans", Drawing.Typeface.FamilyName);
        Assert.IsGreaterThan(100, bitmap.Pixels.Count(p => p.Red < 128), "glyphs cover pixels");
    }

    [TestMethod]
    public void EmptyLossHistoryStillRenders()
    {
        using var plot = Decode(LossCurvePlot.RenderPng(Array.Empty<double[]>()));
        Assert.AreEqual(new LossCurvePlotOptions().Width, plot.Width);
    }

    [TestMethod]
    public void NiceTicksAreRoundAndCoverTheRange()
    {
        var ticks = LossCurvePlot.NiceTicks(0, 0.93, 5);
        CollectionAssert.AreEqual(new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }, ticks.Select(t => Math.Round(t, 6)).ToArray());
    }

    [TestMethod]
    public void TranslationPanelLaysOutCaptionedTiles()
    {
        var tile = new ImageBuffer<float>(Enumerable.Range(0, 24 * 24).Select(i => (i % 24) / 12f - 1f).ToArray(), ImageShape.Of2D(24, 24));
        var rows = new[] { new[] { new PanelTile("image", tile), new PanelTile("segmentation", tile) }, new[] { new PanelTile("mask", tile) } };
        using var panel = Decode(TranslationPanel.RenderPng(rows, scale: 4, title: "iteration 7"));
        Assert.AreEqual(8 + 2 * (96 + 8), panel.Width, "two columns of 96-pixel tiles with 8-pixel gaps");
        Assert.AreEqual(28 + 8 + 2 * (20 + 96 + 8), panel.Height, "title, then two rows of caption + tile");
        Assert.IsGreaterThan(24, DistinctColors(panel), "a grey ramp and text");
    }

    [TestMethod]
    public void SnapshotOptionWritesLossPlotAndTranslationPanels()
    {
        using var folder = new TempFolder();
        var options = TinyTraining.Options<AdGanTrainerOptions>(3, 2);
        options.SnapshotDirectory = folder.Path;
        options.SnapshotEvery = 2;
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        using var model = trainer.Train();
        foreach (string name in new[] { "losses.png", "translations_000002.png", "translations_000004.png", "translations_000005.png" })
            Assert.IsTrue(File.Exists(folder.File(name)), name);
        CollectionAssert.AreEquivalent(Directory.GetFiles(folder.Path), trainer.SnapshotFiles.ToArray());
        using var panel = SKBitmap.Decode(folder.File("translations_000005.png"));
        Assert.IsGreaterThan(4 * 24 * 2, panel.Width, "four tiles of a 24-pixel crop at scale 2");
        foreach (var value in model.Decode(TinyTraining.Images(1)[0].Image).Data)
            Assert.IsFalse(float.IsNaN(value), "snapshots must leave the networks intact");
    }

    [TestMethod]
    public void SnapshotEveryMustBePositive()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>();
        options.SnapshotEvery = 0;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(options.Validate);
        Assert.AreEqual(nameof(AdGanTrainerOptions.SnapshotEvery), e.ParamName);
    }
}
