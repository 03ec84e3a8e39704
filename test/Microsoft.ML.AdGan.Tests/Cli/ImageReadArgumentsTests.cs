using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Tests.Imaging;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class ImageReadArgumentsTests
{
    /// <summary>Runs the adgan tool's verbs as the CLI parses them; returns the exit code and what went to standard error.</summary>
    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (root.Parse(args).Invoke(), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    private static string WriteNaNImage(TempFolder temp)
    {
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        var pixels = Enumerable.Range(0, 32 * 32).Select(i => (i % 32 - 16) * (i % 32 - 16) + (i / 32 - 16) * (i / 32 - 16) < 40 ? 100f : 10f).ToArray();
        pixels[5] = float.NaN;
        File.WriteAllBytes(Path.Combine(images, "nan.tif"), CraftedFiles.Tiff(32, 32, 32, new[] { CraftedFiles.Floats(pixels) }, sampleFormat: 3));
        return images;
    }

    [TestMethod]
    public void SegmentHonoursNonFiniteAndMaxPixels()
    {
        using var temp = new TempFolder();
        string images = WriteNaNImage(temp), output = temp.File("labels");
        var (code, error) = Run("segment", "--method", "threshold", "--images", images, "--out", output);
        Assert.AreEqual(BatchRunner.PartialFailureExitCode, code, "the file failed, the batch finished");
        StringAssert.Contains(error, "nan.tif");
        StringAssert.Contains(error, "1 NaN and 0 infinite pixels (of 1,024)");

        (code, error) = Run("segment", "--method", "threshold", "--images", images, "--out", output, "--non-finite", "replace");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "warning:");
        StringAssert.Contains(error, "replaced by its finite minimum, 10");
        Assert.IsTrue(File.Exists(Path.Combine(output, "nan.png")));

        (code, error) = Run("segment", "--method", "threshold", "--images", images, "--out", output, "--non-finite", "replace", "--max-pixels", "1000");
        Assert.AreEqual(BatchRunner.PartialFailureExitCode, code);
        StringAssert.Contains(error, "32 x 32 = 1,024 pixels, more than the pixel budget of 1,000");

        Assert.AreNotEqual(0, Run("segment", "--method", "threshold", "--images", images, "--out", output, "--max-pixels", "0").Code);
        Assert.AreNotEqual(0, Run("segment", "--method", "threshold", "--images", images, "--out", output, "--non-finite", "zero").Code);
    }

    [TestMethod]
    public void OutsideAVerbTheLibraryDefaultsApply()
    {
        var options = ImageReadArguments.Create(firstPageOnly: true, channel: 1);
        Assert.AreEqual(MicroscopyReadOptions.DefaultMaxPixels, options.MaxPixels);
        Assert.AreEqual(NonFinitePixelPolicy.Error, options.NonFinite);
        Assert.IsTrue(options.FirstPageOnly);
        Assert.AreEqual(1, options.Channel);
    }
}
