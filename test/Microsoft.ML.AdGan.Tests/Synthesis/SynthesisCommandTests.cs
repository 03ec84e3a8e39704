using System.CommandLine;
using AdGan.Cli.Commands;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class SynthesisCommandTests
{
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("adgan-synthesis-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void MasksWritesInstancePngsWithExactlyThreeLevels()
    {
        int rc = new RootCommand { MasksCommand.Create() }.Parse(new[] { "masks", "--out", _folder, "--count", "3", "--size", "48", "--radius", "5,9", "--number", "3,8", "--instance", "--seed", "4" }).Invoke();
        Assert.AreEqual(0, rc);
        var files = Directory.GetFiles(_folder, "*.png");
        Assert.HasCount(3, files);
        foreach (var file in files)
        {
            using var image = Image.Load<L8>(file);
            Assert.AreEqual(48, image.Width);
            var values = new HashSet<byte>();
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    values.Add(image[x, y].PackedValue);
            CollectionAssert.AreEquivalent(new byte[] { 0, 127, 255 }, values.ToArray());
        }
    }

    [TestMethod]
    public void MasksWritesMultiPageTiffsFor3D()
    {
        int rc = new RootCommand { MasksCommand.Create() }.Parse(new[] { "masks", "--out", _folder, "--count", "2", "--size", "24", "--depth", "6", "--radius", "3,6", "--number", "2,5" }).Invoke();
        Assert.AreEqual(0, rc);
        var files = Directory.GetFiles(_folder, "*.tif");
        Assert.HasCount(2, files);
        using var image = Image.Load<L8>(files[0]);
        Assert.AreEqual(6, image.Frames.Count);
        var values = new HashSet<byte>();
        for (int f = 0; f < image.Frames.Count; f++)
        {
            var frame = image.Frames[f];
            for (int y = 0; y < frame.Height; y++)
                for (int x = 0; x < frame.Width; x++)
                    values.Add(frame[x, y].PackedValue);
        }

        CollectionAssert.AreEquivalent(new byte[] { 0, 255 }, values.ToArray());
    }

    [TestMethod]
    public void MasksRejectsAnInvalidRange()
    {
        int rc = new RootCommand { MasksCommand.Create() }.Parse(new[] { "masks", "--out", _folder, "--radius", "18,13" }).Invoke();
        Assert.AreNotEqual(0, rc);
        Assert.IsEmpty(Directory.GetFiles(_folder));
    }

    [TestMethod]
    public void SimulateWritesImagesAndMatchingLabels()
    {
        int rc = new RootCommand { SimulateCommand.Create() }.Parse(new[] { "simulate", "--out", _folder, "--count", "2", "--size", "64", "--radius", "6,10", "--number", "4,8", "--bit-depth", "16" }).Invoke();
        Assert.AreEqual(0, rc);
        var images = Directory.GetFiles(Path.Combine(_folder, "images"), "*.png").Order().ToArray();
        var labels = Directory.GetFiles(Path.Combine(_folder, "labels"), "*.png").Order().ToArray();
        Assert.HasCount(2, images);
        CollectionAssert.AreEqual(images.Select(Path.GetFileName).ToArray(), labels.Select(Path.GetFileName).ToArray());
        using var label = Image.Load<L16>(labels[0]);
        using var intensity = Image.Load<L16>(images[0]);
        int nuclei = 0;
        ushort maxIntensity = 0;
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                nuclei = Math.Max(nuclei, label[x, y].PackedValue);
                maxIntensity = Math.Max(maxIntensity, intensity[x, y].PackedValue);
            }
        }

        Assert.IsGreaterThan(0, nuclei);
        Assert.IsGreaterThan(255, (int)maxIntensity, "16-bit output uses the 16-bit range");
    }

    [TestMethod]
    public void SimulateStartsFromAPreparedCaseAndKeepsTheFlagsGiven()
    {
        int rc = new RootCommand { SimulateCommand.Create() }.Parse(new[] { "simulate", "--case", "dim-bright", "--out", _folder, "--count", "1", "--size", "96", "--radius", "5,8", "--number", "8,12" }).Invoke();
        Assert.AreEqual(0, rc);
        using var intensity = Image.Load<L16>(Directory.GetFiles(Path.Combine(_folder, "images"), "*.png").Single());
        int max = 0;
        for (int y = 0; y < 96; y++)
            for (int x = 0; x < 96; x++)
                max = Math.Max(max, intensity[x, y].PackedValue);
        Assert.IsGreaterThan(255, max, "the case's 16-bit depth is kept when --bit-depth is not given");
        Assert.AreEqual((2, 4), SimulateCommand.Case("dim-bright", 1, "--case")!.BrightNuclei);
        Assert.AreNotEqual(0, new RootCommand { SimulateCommand.Create() }.Parse(new[] { "simulate", "--case", "bright", "--out", _folder }).Invoke());
    }
}
