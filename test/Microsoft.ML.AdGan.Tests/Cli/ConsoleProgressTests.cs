using AdGan.Cli.Commands;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class ConsoleProgressTests
{
    [TestMethod]
    public void RedirectedOutputGetsPlainThrottledLinesWithEta()
    {
        var now = TimeSpan.Zero;
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, interactive: false, clock: () => now) { PlainInterval = TimeSpan.FromSeconds(5) };
        progress.Start("segment", 10);
        for (int i = 1; i <= 10; i++)
        {
            now += TimeSpan.FromSeconds(2);
            progress.Advance($"img{i}.png");
        }

        progress.Done();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "segment 1/10 (10%) img1.png, elapsed 0:02, ETA 0:18",
            "segment 4/10 (40%) img4.png, elapsed 0:08, ETA 0:12",
            "segment 7/10 (70%) img7.png, elapsed 0:14, ETA 0:06",
            "segment 10/10 (100%) img10.png, elapsed 0:20",
        }, lines);
        Assert.DoesNotContain("\r", output.ToString(), "no carriage returns in a log file");
    }

    [TestMethod]
    public void TerminalRedrawsOneLineAndEndsIt()
    {
        var now = TimeSpan.Zero;
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, interactive: true, clock: () => now);
        progress.Start("evaluate", 4);
        now = TimeSpan.FromSeconds(3);
        progress.Advance("a.png");
        progress.Log("a message");
        progress.Advance("b.png");
        progress.Done();
        string text = output.ToString();
        StringAssert.Contains(text, "\revaluate [########----------------------] 1/4 (25%) a.png 0:03, ETA 0:09");
        StringAssert.Contains(text, "\na message\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
        StringAssert.Contains(text, "2/4 (50%) b.png");
        Assert.IsTrue(text.EndsWith(Environment.NewLine, StringComparison.Ordinal), "the bar's line is ended");
    }

    [TestMethod]
    public void EvaluateAndPriorsReportProgressWhenRedirected()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("pred"));
        Directory.CreateDirectory(dir.File("truth"));
        var labels = new Microsoft.ML.AdGan.Imaging.ImageBuffer<uint>(new uint[] { 0, 1, 1, 0 }, Microsoft.ML.AdGan.Imaging.ImageShape.Of2D(2, 2));
        foreach (var name in new[] { "a.png", "b.png" })
        {
            Microsoft.ML.AdGan.Imaging.MicroscopyImageWriter.WriteLabels(Path.Combine(dir.File("pred"), name), labels);
            Microsoft.ML.AdGan.Imaging.MicroscopyImageWriter.WriteLabels(Path.Combine(dir.File("truth"), name), labels);
        }

        var output = new StringWriter();
        EvaluateCommand.Run(dir.File("pred"), dir.File("truth"), null, null, output);
        StringAssert.Contains(output.ToString(), "evaluate 1/2 (50%) a.png");
        StringAssert.Contains(output.ToString(), "evaluate 2/2 (100%) b.png");
    }
}
