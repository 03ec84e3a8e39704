using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Cli;

/// <summary>Batch verbs go on past a file that fails, summarise, and exit with a code of their own; --on-error stop stops at the first.</summary>
[TestClass]
public sealed class BatchFaultTests
{
    /// <summary>Two simulated images and, between them in name order, a file that is not an image.</summary>
    private static string ImagesWithABadOne(TempFolder temp)
    {
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(64, 64), SemiAxis = (5, 7), CountPerImage = (3, 5), Seed = 3 });
        MicroscopyImageWriter.Write(Path.Combine(images, "a.png"), simulator.Simulate(0).Image, IntensityScaling.Raw(8));
        File.WriteAllText(Path.Combine(images, "b.png"), "not a png");
        MicroscopyImageWriter.Write(Path.Combine(images, "c.png"), simulator.Simulate(1).Image, IntensityScaling.Raw(8));
        return images;
    }

    private static (int Code, string Out, string Error) Invoke(System.CommandLine.Command verb, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = new RootCommand { verb }.Parse(args).Invoke();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    [TestMethod]
    public void SegmentGoesOnPastABadFileAndSummarises()
    {
        using var temp = new TempFolder();
        string images = ImagesWithABadOne(temp);
        var log = new StringWriter();
        int code = SegmentCommand.RunThreshold(images, temp.File("labels"), 6, 1.0, log);
        Assert.AreEqual(BatchRunner.PartialFailureExitCode, code, log.ToString());
        Assert.IsTrue(File.Exists(temp.File("labels/a.png")) && File.Exists(temp.File("labels/c.png")), "the files after the bad one are done");
        StringAssert.Contains(log.ToString(), "2 ok, 1 failed (of 3 files)");
        StringAssert.Contains(log.ToString(), Path.Combine(images, "b.png") + ": ");

        var stopped = Invoke(BatchRunner.AddTo(SegmentCommand.Create()), "segment", "--method", "threshold", "--images", images, "--out", temp.File("stop"), "--on-error", "stop");
        Assert.AreEqual(1, stopped.Code);
        StringAssert.Contains(stopped.Error, "b.png");
        Assert.IsTrue(File.Exists(temp.File("stop/a.png")));
        Assert.IsFalse(File.Exists(temp.File("stop/c.png")), "stop ends the batch at the first failure");
    }

    [TestMethod]
    public void ThresholdScaleOutOfRangeIsAFlagError()
    {
        using var temp = new TempFolder();
        var result = Invoke(BatchRunner.AddTo(SegmentCommand.Create()), "segment", "--method", "threshold", "--scale", "1000", "--images", ImagesWithABadOne(temp), "--out", temp.File("out"));
        Assert.AreEqual(1, result.Code);
        StringAssert.Contains(result.Error, "--scale must lie in (0, 16]");
    }

    [TestMethod]
    public void LabelGoesOnPastABadMap()
    {
        using var temp = new TempFolder();
        string maps = temp.File("maps");
        Directory.CreateDirectory(maps);
        var map = new float[32 * 32];
        for (int y = 8; y < 20; y++)
            for (int x = 8; x < 20; x++)
                map[y * 32 + x] = y is > 11 and < 16 && x is > 11 and < 16 ? 255 : 127;
        MicroscopyImageWriter.Write(Path.Combine(maps, "good.png"), new ImageBuffer<float>(map, ImageShape.Of2D(32, 32)), IntensityScaling.Raw(8));
        File.WriteAllBytes(Path.Combine(maps, "bad.png"), new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        var result = Invoke(BatchRunner.AddTo(LabelCommand.Create()), "label", "--maps", maps, "--out", temp.File("out/labels"));
        Assert.AreEqual(BatchRunner.PartialFailureExitCode, result.Code, result.Out + result.Error);
        Assert.IsTrue(File.Exists(temp.File("out/labels/good.png")));
        StringAssert.Contains(result.Out, "1 ok, 1 failed");
        StringAssert.Contains(result.Out, "bad.png");
    }

    [TestMethod]
    public void PriorsGoOnPastABadImageAndWriteIntoANewFolder()
    {
        using var temp = new TempFolder();
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        var simulated = Priors.PriorEstimatorTests.SimulatedImages(2);
        for (int i = 0; i < simulated.Count; i++)
            MicroscopyImageWriter.Write(Path.Combine(images, $"n{i}.png"), simulated[i].Image, IntensityScaling.Raw(8));
        File.WriteAllText(Path.Combine(images, "n0b.png"), "not a png");
        string output = temp.File("new/priors.json");
        var result = Invoke(BatchRunner.AddTo(PriorsCommand.Create()), "priors", "--images", images, "--patch", "64", "--out", output);
        Assert.AreEqual(BatchRunner.PartialFailureExitCode, result.Code, result.Out + result.Error);
        StringAssert.Contains(result.Out, "2 ok, 1 failed");
        StringAssert.Contains(result.Out, "n0b.png");
        Assert.AreEqual(64, EstimatedPriors.Load(output).PatchSize, "the priors of the images that could be read are written");
    }

    [TestMethod]
    public void ABatchWithoutFailuresExitsZero()
    {
        var log = new StringWriter();
        var done = new List<string>();
        var result = BatchRunner.Run(new[] { "x", "y" }, done.Add, log, BatchErrorPolicy.Continue);
        Assert.AreEqual(0, result.Summarise(log));
        CollectionAssert.AreEqual(new[] { "x", "y" }, done);
        StringAssert.Contains(log.ToString(), "2 ok, 0 failed");
        var e = Assert.ThrowsExactly<BatchFileException>(() => BatchRunner.Run(new[] { "x" }, _ => throw new InvalidOperationException("broken"), TextWriter.Null, BatchErrorPolicy.Stop));
        Assert.AreEqual("'x': broken", e.Message);
    }
}
