using System.Diagnostics;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Tools.Reporting;

namespace Microsoft.ML.AdGan.Tests.Export;

/// <summary>
/// Not a unit test: exports and reports a folder segmented elsewhere, for checking the exports on real data with
/// tools/check-exports.sh. Runs only when ADGAN_EXPORT_IMAGES (images), ADGAN_EXPORT_LABELS (label maps of the same names,
/// e.g. from adgan segment) and ADGAN_EXPORT_OUT are set; writes OUT/exports (every format, plus NAME-labels.tif and
/// NAME-image.tif for the checker) and OUT/report.
/// </summary>
[TestClass]
public sealed class FolderExportRun
{
    [TestMethod]
    [TestCategory("Manual")]
    public void ExportsAndReportsTheFolderNamedInTheEnvironment()
    {
        string? images = Environment.GetEnvironmentVariable("ADGAN_EXPORT_IMAGES"), labelsDir = Environment.GetEnvironmentVariable("ADGAN_EXPORT_LABELS");
        string? output = Environment.GetEnvironmentVariable("ADGAN_EXPORT_OUT");
        if (images is null || labelsDir is null || output is null)
            Assert.Inconclusive("Set ADGAN_EXPORT_IMAGES, ADGAN_EXPORT_LABELS and ADGAN_EXPORT_OUT to run.");
        string exports = Path.Combine(output, "exports");
        Directory.CreateDirectory(exports);
        var report = new SegmentationReport(Path.Combine(output, "report"));
        var total = Stopwatch.StartNew();
        int nuclei = 0;
        foreach (var file in MicroscopyImageReader.ListFiles(images))
        {
            string stem = Path.GetFileNameWithoutExtension(file);
            var watch = Stopwatch.StartNew();
            var raw = MicroscopyImageReader.ReadImage(file).Image;
            var labels = LabelMaps.Read(Path.Combine(labelsDir, stem + (raw.Shape.Is3D ? ".tif" : ".png")));
            labels = new ImageBuffer<uint>(labels.Data, labels.Shape, labels.VoxelSize ?? raw.VoxelSize);
            SegmentationExports.Write(labels, raw, Path.Combine(exports, stem), SegmentationExportFormats.All);
            report.Add(Path.GetFileName(file), labels, raw, elapsed: watch.Elapsed);
            MicroscopyImageWriter.WriteLabels(Path.Combine(exports, stem + "-labels.tif"), labels);
            MicroscopyImageWriter.WriteFloat32Tiff(Path.Combine(exports, stem + "-image.tif"), raw);
            nuclei += report.Images[^1].Count;
        }

        string index = report.Write(new Dictionary<string, string>
        {
            ["images"] = images,
            ["label maps"] = labelsDir,
            ["exports"] = "rois, geojson, ome-tiff, csv",
        }, total.Elapsed);
        Console.WriteLine($"{report.Images.Count} images, {nuclei} nuclei, exports and report in {total.Elapsed.TotalSeconds:F1} s: {index}");
    }
}
