using System.Text;
using System.Xml.Linq;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class OmeTiffLabelWriterTests
{
    [TestMethod]
    public void ImagesAndVolumesReadBackWithTheirPhysicalSize()
    {
        using var dir = new TempFolder();
        foreach (var labels in new[] { ExportScenes.Labels2D(), ExportScenes.Labels3D() })
        {
            string path = dir.File(labels.Shape.Is3D ? "v.ome.tif" : "i.ome.tif");
            OmeTiffLabelWriter.Write(path, labels);
            var read = MicroscopyImageReader.ReadImage(path);
            Assert.AreEqual(16, read.BitsPerSample);
            Assert.AreEqual(labels.Shape, read.Image.Shape);
            CollectionAssert.AreEqual(labels.Data, LabelMaps.FromFloat(read.Image).Data);
            var expected = labels.VoxelSize!.Value;
            var size = read.Image.VoxelSize!.Value;
            Assert.AreEqual(expected.X, size.X, 1e-12);
            Assert.AreEqual(expected.Y, size.Y, 1e-12);
            if (labels.Shape.Is3D)
                Assert.AreEqual(expected.Z, size.Z, 1e-12);

            var pixels = Pixels(path);
            Assert.AreEqual("XYZCT", (string?)pixels.Attribute("DimensionOrder"));
            Assert.AreEqual(labels.Shape.Depth, (int)pixels.Attribute("SizeZ")!);
            Assert.AreEqual("µm", (string?)pixels.Attribute("PhysicalSizeXUnit"));
            Assert.AreEqual(labels.Shape.Is3D, pixels.Attribute("PhysicalSizeZ") is not null);
        }
    }

    [TestMethod]
    public void WithoutAPixelSizeNothingIsClaimed()
    {
        using var dir = new TempFolder();
        var labels = new ImageBuffer<uint>(new uint[] { 0, 1, 2, 70_000 }, ImageShape.Of2D(2, 2));
        OmeTiffLabelWriter.Write(dir.File("x.ome.tif"), labels, imageName: "naïve name");
        var read = MicroscopyImageReader.ReadImage(dir.File("x.ome.tif"));
        Assert.AreEqual(32, read.BitsPerSample, "labels above 65,535 need 32 bits");
        CollectionAssert.AreEqual(labels.Data, LabelMaps.FromFloat(read.Image).Data);
        Assert.IsNull(read.Image.VoxelSize);
        var pixels = Pixels(dir.File("x.ome.tif"));
        Assert.AreEqual("uint32", (string?)pixels.Attribute("Type"));
        Assert.IsNull(pixels.Attribute("PhysicalSizeX"));
        Assert.AreEqual("naïve name", (string?)pixels.Parent!.Attribute("Name"), "non-ASCII survives as character references");
    }

    /// <summary>The Pixels element of the OME-XML in the file's first description.</summary>
    private static XElement Pixels(string path)
    {
        string text = Encoding.ASCII.GetString(File.ReadAllBytes(path));
        int start = text.IndexOf("<?xml", StringComparison.Ordinal), end = text.IndexOf("</OME>", StringComparison.Ordinal) + 6;
        Assert.IsTrue(start > 0 && end > start, "an OME-XML description");
        return XDocument.Parse(text[start..end]).Descendants().Single(e => e.Name.LocalName == "Pixels");
    }
}
