using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.Tests.Imaging;

namespace Microsoft.ML.AdGan.Tests.Priors;

[TestClass]
public sealed class PriorsCommandTests
{
    [TestMethod]
    public void PriorsVerbWritesTheJsonTheLibraryReads()
    {
        using var folder = new TempFolder();
        string images = folder.File("images");
        Directory.CreateDirectory(images);
        var simulated = PriorEstimatorTests.SimulatedImages(2);
        for (int i = 0; i < simulated.Count; i++)
            MicroscopyImageWriter.Write(Path.Combine(images, $"n{i}.png"), simulated[i].Image, IntensityScaling.Raw(8));
        string output = folder.File("priors.json");
        int rc = new RootCommand { PriorsCommand.Create() }.Parse(new[] { "priors", "--images", images, "--patch", "64", "--target-radius", "5", "--out", output }).Invoke();
        Assert.AreEqual(0, rc);
        var priors = EstimatedPriors.Load(output);
        Assert.AreEqual(64, priors.PatchSize);
        Assert.AreEqual(5.0, priors.TargetRadius);
        Assert.AreEqual(5.0 / priors.Measured.Median, priors.ImageScale, 1e-9);
    }

    [TestMethod]
    public void PriorsVerbFailsWithAMessageForAMissingFolder()
    {
        using var folder = new TempFolder();
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            int rc = new RootCommand { PriorsCommand.Create() }.Parse(new[] { "priors", "--images", folder.File("none"), "--out", folder.File("p.json") }).Invoke();
            Assert.AreEqual(1, rc);
        }
        finally
        {
            Console.SetError(previous);
        }

        StringAssert.Contains(error.ToString(), folder.File("none"));
        Assert.IsFalse(File.Exists(folder.File("p.json")));
    }
}
