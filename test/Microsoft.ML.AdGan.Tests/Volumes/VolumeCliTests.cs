using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class VolumeCliTests
{
    private static int Invoke(System.CommandLine.Command command, params string[] args)
    {
        var writer = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(writer);
        try
        {
            return new RootCommand { command }.Parse(args).Invoke();
        }
        finally
        {
            Console.SetOut(previous);
        }
    }

    [TestMethod]
    public void SimulateTrainSegmentAndEvaluateVolumes()
    {
        using var folder = new TempFolder();
        string sim = folder.File("sim");
        Assert.AreEqual(0, Invoke(SimulateCommand.Create(), "simulate", "--out", sim, "--count", "2", "--size", "32", "--depth", "12", "--z-step", "2",
            "--radius", "5,7", "--number", "3,5", "--seed", "3"));
        var images = Directory.GetFiles(Path.Combine(sim, "images"), "*.tif");
        Assert.HasCount(2, images);
        var volume = MicroscopyImageReader.Read(images[0]);
        Assert.AreEqual(ImageShape.Of3D(12, 32, 32), volume.Shape);
        Assert.AreEqual(1.0, volume.VoxelSize!.Value.Z, 1e-4);
        Assert.AreEqual(0.5, volume.VoxelSize.Value.X, 1e-4);
        var truth = LabelMaps.Read(Path.Combine(sim, "labels", Path.GetFileName(images[0])));
        Assert.AreEqual(volume.Shape, truth.Shape);

        // The 3D classical baseline on the volumes, scored in 3D.
        string baseline = folder.File("baseline");
        Assert.AreEqual(0, SegmentCommand.RunThreshold(Path.Combine(sim, "images"), baseline, 6, 1.0, TextWriter.Null));
        Assert.AreEqual(volume.Shape, LabelMaps.Read(Path.Combine(baseline, Path.GetFileName(images[0]))).Shape);
        var scores = EvaluateCommand.Run(baseline, Path.Combine(sim, "labels"), null, null, TextWriter.Null);
        Assert.AreEqual(2, scores.ImageCount);
        Assert.IsGreaterThan(0.5, scores.Dice, "the baseline finds the simulated nuclei in 3D");

        // Train on the volumes (tiny network) and segment them: labels come back on the stored 12 x 32 x 32 grid.
        string model = folder.File("model.zip");
        Assert.AreEqual(0, Invoke(TrainCommand.Create(), "train", "--images", Path.Combine(sim, "images"), "--out", model, "--preset", "cpu3d",
            "--crop", "24", "--depth", "24", "--ngf", "2", "--batch", "1", "--iterations", "2", "--threads", "1", "--radius", "4,6", "--number", "1,3"));
        Assert.AreEqual(3, AdGanModelFile.ReadMarker(model).Dimensions);
        string pred = folder.File("pred");
        Assert.AreEqual(0, SegmentCommand.RunAdGan(model, Path.Combine(sim, "images"), pred, writeDecoded: true, TextWriter.Null));
        var labels = LabelMaps.Read(Path.Combine(pred, Path.GetFileName(images[0])));
        Assert.AreEqual(volume.Shape, labels.Shape);
        Assert.AreEqual(volume.Shape, MicroscopyImageReader.Read(Path.Combine(pred, "decoded", Path.GetFileName(images[0]))).Shape);
        Assert.AreEqual(2, EvaluateCommand.Run(pred, Path.Combine(sim, "labels"), null, null, TextWriter.Null).ImageCount);
    }

    [TestMethod]
    public void SimulateRejectsAZStepWithoutDepth()
    {
        using var folder = new TempFolder();
        Assert.AreNotEqual(0, Invoke(SimulateCommand.Create(), "simulate", "--out", folder.Path, "--count", "1", "--size", "32", "--z-step", "2"));
    }

    [TestMethod]
    public void BenchVolumesPrintsBothMethodsSideBySide()
    {
        using var folder = new TempFolder();
        var writer = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(writer);
        int rc;
        try
        {
            rc = new RootCommand { BenchCommand.Create() }.Parse(new[] { "bench", "volumes", "--out", folder.Path, "--iterations", "2",
                "--train", "1", "--test", "1", "--size", "32", "--depth", "12", "--z-step", "2", "--crop", "24", "--crop-depth", "24", "--ngf", "2", "--batch", "1", "--threads", "1" }).Invoke();
        }
        finally
        {
            Console.SetOut(previous);
        }
        string text = writer.ToString();
        Assert.AreEqual(0, rc, text);
        // The table: header, then one row per method with Dice, AJI, F1@.5, PQ and s/volume.
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        int header = lines.FindIndex(l => l.StartsWith("method ", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, header, text);
        var adgan = lines[header + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var baseline = lines[header + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("AD-GAN", adgan[0]);
        Assert.AreEqual("baseline", baseline[0]);
        Assert.HasCount(6, adgan);
        Assert.HasCount(6, baseline);
        Assert.IsTrue(adgan.Skip(1).Concat(baseline.Skip(1)).All(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)), text);
        StringAssert.Contains(text, "training: 2 iterations");
        StringAssert.Contains(text, "s/iteration");
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "report.html")));
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "data", "images", "test01.tif")));
    }
}
