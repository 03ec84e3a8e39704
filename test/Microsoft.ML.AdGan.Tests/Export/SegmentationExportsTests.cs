using System.IO.Compression;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class SegmentationExportsTests
{
    private const string GoldenFolder = "TestData/Exports";

    [TestMethod]
    public void ParsesTheCommandLineList()
    {
        Assert.AreEqual(SegmentationExportFormats.All, SegmentationExports.ParseFormats("rois,geojson,ome-tiff,csv"));
        Assert.AreEqual(SegmentationExportFormats.GeoJson | SegmentationExportFormats.MeasurementsCsv, SegmentationExports.ParseFormats(" CSV , geojson "));
        Assert.AreEqual(SegmentationExportFormats.All, SegmentationExports.ParseFormats("all"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => SegmentationExports.ParseFormats("rois,shapefile"));
        StringAssert.Contains(e.Message, "'shapefile'");
    }

    [TestMethod]
    public void WritesExactlyTheChosenFiles()
    {
        using var dir = new TempFolder();
        var labels = ExportScenes.Labels2D();
        string basePath = Path.Combine(dir.Path, "sub", "img");
        var written = SegmentationExports.Write(labels, ExportScenes.Image(labels), basePath, SegmentationExportFormats.ImageJRois | SegmentationExportFormats.OmeTiff);
        CollectionAssert.AreEqual(new[] { basePath + ".rois.zip", basePath + ".ome.tif" }, written.ToArray());
        CollectionAssert.AreEquivalent(new[] { "img.rois.zip", "img.ome.tif" }, Directory.GetFiles(Path.Combine(dir.Path, "sub")).Select(Path.GetFileName).ToArray());
        Assert.IsEmpty(SegmentationExports.Write(labels, null, basePath + "2", SegmentationExportFormats.None));
        Assert.ThrowsExactly<ArgumentException>(() => SegmentationExports.Write(labels, new ImageBuffer<float>(ImageShape.Of2D(3, 3)), basePath, SegmentationExportFormats.All));
    }

    /// <summary>
    /// The exports of the two scenes equal the golden files that tools/check-exports.sh checks with ImageJ, tifffile and
    /// scikit-image. Set ADGAN_UPDATE_GOLDEN=1 to rewrite them in the source tree after a deliberate change.
    /// </summary>
    [TestMethod]
    public void ExportsMatchTheGoldenFiles()
    {
        using var dir = new TempFolder();
        WriteGoldenSet(dir.Path);
        string golden = Path.Combine(AppContext.BaseDirectory, GoldenFolder);
        if (Environment.GetEnvironmentVariable("ADGAN_UPDATE_GOLDEN") == "1")
        {
            golden = Path.Combine(SourceTestProject(), GoldenFolder);
            Directory.CreateDirectory(golden);
            foreach (var f in Directory.GetFiles(dir.Path))
                File.Copy(f, Path.Combine(golden, Path.GetFileName(f)), overwrite: true);
        }

        var names = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(names, Directory.GetFiles(golden).Select(Path.GetFileName).Order().ToArray(), "golden file set");
        foreach (var name in names)
        {
            string fresh = Path.Combine(dir.Path, name!), kept = Path.Combine(golden, name!);
            if (name!.EndsWith(".zip", StringComparison.Ordinal))
                CollectionAssert.AreEqual(ZipEntries(kept), ZipEntries(fresh), name);
            else
                CollectionAssert.AreEqual(File.ReadAllBytes(kept), File.ReadAllBytes(fresh), name);
            Assert.IsLessThan(200_000L, new FileInfo(kept).Length, $"{name} stays small");
        }
    }

    /// <summary>Inputs (label map and raw image as TIFF) and every export of the 2D and the 3D scene.</summary>
    internal static void WriteGoldenSet(string folder)
    {
        foreach (var (name, labels) in new[] { ("scene2d", ExportScenes.Labels2D()), ("scene3d", ExportScenes.Labels3D()) })
        {
            var image = ExportScenes.Image(labels);
            MicroscopyImageWriter.WriteLabels(Path.Combine(folder, name + "-labels.tif"), labels);
            MicroscopyImageWriter.Write16(Path.Combine(folder, name + "-image.tif"), image.Data.Select(v => (ushort)v).ToArray(), image.Shape, image.VoxelSize);
            SegmentationExports.Write(labels, image, Path.Combine(folder, name), SegmentationExportFormats.All);
        }
    }

    private static string[] ZipEntries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return e.FullName + ":" + Convert.ToHexString(ms.ToArray());
        }).ToArray();
    }

    private static string SourceTestProject()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Microsoft.ML.AdGan.Tests.csproj")))
                return d.FullName;
        }

        throw new DirectoryNotFoundException("The test project's source folder was not found above " + AppContext.BaseDirectory);
    }
}
