using Microsoft.ML.AdGan.Estimators;
using System.IO.Compression;
using System.Text.Json;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class SegmentExportTests
{
    [TestMethod]
    public void ThresholdSegmentWritesEveryExportAndTheReport()
    {
        using var temp = new TempFolder();
        string images = temp.File("images"), output = temp.File("out");
        SegmentShardingTests.WriteImages(images, 3);
        Assert.AreEqual(0, SegmentShardingTests.Adgan("segment", "--method", "threshold", "--min-diameter", "4", "--images", images, "--out", output,
            "--export", "rois,geojson,ome-tiff,csv", "--report", "--recursive"));

        foreach (var (stem, file) in new[] { ("img00.png", "img00.png"), ("img00.tif", "img00.tif"), ("img01", "img01.png") })
        {
            var labels = LabelMaps.Read(Path.Combine(output, stem + ".png"));
            string basePath = Path.Combine(output, "exports", stem);
            var ome = MicroscopyImageReader.Read(basePath + ".ome.tif");
            CollectionAssert.AreEqual(labels.Data.Select(v => (float)v).ToArray(), ome.Data, $"{stem}: the OME-TIFF holds the label map written beside it");
            int nuclei = labels.Data.Distinct().Count(v => v != 0);
            using (var zip = ZipFile.OpenRead(basePath + ".rois.zip"))
                Assert.HasCount(nuclei, zip.Entries, $"{stem}: one ROI per nucleus");
            using (var geo = JsonDocument.Parse(File.ReadAllText(basePath + ".geojson")))
                Assert.AreEqual(nuclei, geo.RootElement.GetProperty("features").GetArrayLength());
            var rows = File.ReadAllLines(basePath + ".csv");
            Assert.HasCount(nuclei + 1, rows, $"{stem}: header and one row per nucleus");
            if (nuclei > 0)
                StringAssert.StartsWith(rows[1], file + ",", "the table names the image by its relative path");
        }

        string html = File.ReadAllText(Path.Combine(output, "report", "index.html"));
        StringAssert.Contains(html, "plate0/well 02.png");
        StringAssert.Contains(html, "threshold (Otsu + distance watershed)");
        Assert.HasCount(4, Directory.GetFiles(Path.Combine(output, "report", "thumbs")));
    }

    [TestMethod]
    public void AdGanSegmentExportsTheLabelsItWritesAndReportsTheDecodedMap()
    {
        using var temp = new TempFolder();
        string images = temp.File("images"), output = temp.File("out"), model = temp.File("model.zip");
        SegmentShardingTests.WriteImages(images, 2, side: 40);
        using (var tiny = Persistence.AdGanModelSerializerTests.TinyModel())
        {
            AdGanModelFile.Save(new MLContext(1), tiny, model);
            AdGanModelCache.Remove(tiny.Id);
        }

        var log = new StringWriter();
        var extras = new SegmentRunOptions { Exports = SegmentationExportFormats.MeasurementsCsv | SegmentationExportFormats.OmeTiff, ReportFolder = temp.File("report") };
        Assert.AreEqual(0, SegmentCommand.RunAdGan(model, images, output, writeDecoded: false, log, extras: extras));

        var labels = LabelMaps.Read(Path.Combine(output, "img01.png"));
        var exported = MicroscopyImageReader.Read(Path.Combine(output, "exports", "img01.ome.tif"));
        CollectionAssert.AreEqual(labels.Data.Select(v => (float)v).ToArray(), exported.Data, "the OME-TIFF holds the label map");
        Assert.IsFalse(File.Exists(Path.Combine(output, "exports", "img01.rois.zip")), "only the formats asked for");
        string html = File.ReadAllText(temp.File("report/index.html"));
        StringAssert.Contains(html, "AD-GAN");
        StringAssert.Contains(html, "foreground Dice", "the report compares the decoded map with the image's own threshold");
        StringAssert.Contains(log.ToString(), "img01.png: ");
        StringAssert.Contains(log.ToString(), "segment 3/3", "plain progress lines when the output is not a terminal");
    }

    [TestMethod]
    public void AnUnknownExportFormatIsRejectedByName()
    {
        using var temp = new TempFolder();
        string images = temp.File("images");
        SegmentShardingTests.WriteImages(images, 1);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.AreEqual(1, SegmentShardingTests.Adgan("segment", "--method", "threshold", "--images", images, "--out", temp.File("out"), "--export", "rois,tiff"));
        }
        finally
        {
            Console.SetError(previous);
        }

        StringAssert.Contains(error.ToString(), "'tiff'");
        Assert.IsFalse(Directory.Exists(temp.File("out")), "nothing is written before the flags are checked");
    }
}
