using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Tools.Reporting;

namespace Microsoft.ML.AdGan.Tests.Tools;

[TestClass]
public sealed class SegmentationReportTests
{
    [TestMethod]
    public void FlagsImagesByTheirRulesAndWritesPagesAndPictures()
    {
        using var dir = new TempFolder();
        var report = new SegmentationReport(dir.File("report"), new SegmentationReportOptions { ImagesPerPage = 4, ThumbnailSize = 48 });
        for (int i = 0; i < 5; i++)
        {
            var (image, labels) = Scene(count: 3, radius: 3);
            report.Add($"plain {i}.png", labels, image, elapsed: TimeSpan.FromSeconds(1 + i));
        }

        var (crowdImage, crowd) = Scene(count: 12, radius: 3);
        report.Add("crowded.png", crowd, crowdImage);
        var (bigImage, big) = Scene(count: 1, radius: 14);
        report.Add("huge & odd.png", big, bigImage);
        var (emptyImage, _) = Scene(count: 2, radius: 3);
        report.Add("empty.png", new ImageBuffer<uint>(emptyImage.Shape), emptyImage);
        var (clumpImage, clump) = Scene(count: 12, radius: 3, clump: true);
        report.Add("clump.png", clump, clumpImage);
        var (mapImage, mapLabels) = Scene(count: 3, radius: 3);
        var wrongMap = new ImageBuffer<float>(mapImage.Data.Select(v => v > 50 ? -1f : 1f).ToArray(), mapImage.Shape);
        report.Add("inverted map.png", mapLabels, mapImage, wrongMap);

        string index = report.Write(new Dictionary<string, string> { ["method"] = "threshold <Otsu>" }, TimeSpan.FromSeconds(42));
        var flags = report.Images.ToDictionary(i => i.Name, i => i.Flags);
        Assert.IsTrue(report.Images.Take(5).All(i => i.Flags.Count == 0), string.Join("; ", report.Images.Take(5).SelectMany(i => i.Flags)));
        StringAssert.StartsWith(flags["crowded.png"].Single(), "unusually many nuclei: 12");
        StringAssert.StartsWith(flags["huge & odd.png"].Single(), "unusually large nuclei: median size 6");
        StringAssert.Contains(string.Join("; ", flags["clump.png"]), "unusually large nuclei: 1 of 13 over 4 x the image's median size 29");
        Assert.AreEqual("no nuclei", flags["empty.png"][0]);
        StringAssert.StartsWith(flags["empty.png"][1], "label foreground disagrees");
        StringAssert.StartsWith(flags["inverted map.png"].Single(), "decoded map disagrees with the image's own Otsu threshold");
        Assert.IsGreaterThan(0.75, report.Images[0].ForegroundDice!.Value, "small blurred discs still agree with their own threshold");

        string html = File.ReadAllText(index);
        StringAssert.Contains(html, "huge &amp; odd.png");
        StringAssert.Contains(html, "threshold &lt;Otsu&gt;");
        StringAssert.Contains(html, "<td>42.00 s</td>");
        StringAssert.Contains(html, "page-2.html#img6");
        Assert.IsTrue(File.Exists(Path.Combine(dir.File("report"), "page-3.html")), "10 images at 4 per page");
        Assert.IsTrue(File.Exists(Path.Combine(dir.File("report"), "plots", "sizes.png")));
        foreach (var image in report.Images)
        {
            using var thumb = SkiaSharp.SKBitmap.Decode(Path.Combine(dir.File("report"), image.Thumbnail));
            Assert.AreEqual(48, Math.Max(thumb.Width, thumb.Height));
            Assert.IsTrue(File.Exists(Path.Combine(dir.File("report"), image.Overlay!)));
        }
    }

    [TestMethod]
    public void FewImagesSkipTheFolderRulesAndShapesAreChecked()
    {
        using var dir = new TempFolder();
        var report = new SegmentationReport(dir.File("r"));
        var (image, labels) = Scene(count: 1, radius: 3);
        var (manyImage, many) = Scene(count: 12, radius: 3);
        report.Add("a.png", labels, image);
        report.Add("b.png", many, manyImage);
        report.Write();
        Assert.IsTrue(report.Images.All(i => i.Flags.Count == 0), "two images are too few to call one unusual");
        var e = Assert.ThrowsExactly<ArgumentException>(() => report.Add("c.png", new ImageBuffer<uint>(ImageShape.Of2D(3, 3)), image));
        StringAssert.Contains(e.Message, "'c.png'");
    }

    /// <summary>A 64 x 96 image with <paramref name="count"/> bright discs (and a large block with <paramref name="clump"/>) on a dark textured background, and their labels.</summary>
    private static (ImageBuffer<float> Image, ImageBuffer<uint> Labels) Scene(int count, double radius, bool clump = false)
    {
        var shape = ImageShape.Of2D(64, 96);
        var image = new ImageBuffer<float>(shape, new VoxelSize(0, 0.5, 0.5));
        var labels = new ImageBuffer<uint>(shape, new VoxelSize(0, 0.5, 0.5));
        for (int i = 0; i < count; i++)
        {
            double cy = 10 + 15 * (i / 5) + (radius > 10 ? 20 : 0), cx = 10 + 18 * (i % 5) + (radius > 10 ? 30 : 0);
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++)
                {
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= radius * radius)
                        labels[y, x] = (uint)(i + 1);
                }
            }
        }

        if (clump)
        {
            for (int y = 48; y < 62; y++)
            {
                for (int x = 60; x < 94; x++)
                    labels[y, x] = (uint)(count + 1);
            }
        }

        for (int i = 0; i < image.Data.Length; i++)
            image.Data[i] = (labels.Data[i] != 0 ? 200 : 20) + i % 7;
        return (image, labels);
    }
}
