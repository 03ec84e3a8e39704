using AdGan.Cli.Commands;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Microsoft.ML.AdGan.Tests.Evaluation;

[TestClass]
public sealed class EvaluateCommandTests
{
    [TestMethod]
    public void EvaluatesMatchingFilesAndNamesAMissingPartner()
    {
        string root = Path.Combine(Path.GetTempPath(), $"adgan-eval-{Guid.NewGuid():N}");
        string pred = Path.Combine(root, "pred"), truth = Path.Combine(root, "truth");
        Directory.CreateDirectory(pred);
        Directory.CreateDirectory(truth);
        try
        {
            var pixels = new[] { new L16(0), new L16(1), new L16(1), new L16(0) };
            using (var img = Image.LoadPixelData<L16>(pixels, 2, 2))
            {
                img.SaveAsPng(Path.Combine(pred, "a.png"));
                img.SaveAsPng(Path.Combine(truth, "a.png"));
            }

            var writer = new StringWriter();
            var m = EvaluateCommand.Run(pred, truth, Path.Combine(root, "m.json"), Path.Combine(root, "rows.csv"), writer);
            Assert.AreEqual(1.0, m.Dice);
            Assert.IsTrue(File.Exists(Path.Combine(root, "m.json")));
            StringAssert.Contains(writer.ToString(), "pooled");

            // A truth without prediction, a prediction without truth and an unreadable prediction are listed, the rest scored.
            File.Copy(Path.Combine(truth, "a.png"), Path.Combine(truth, "b.png"));
            File.Copy(Path.Combine(truth, "a.png"), Path.Combine(pred, "c.png"));
            File.WriteAllText(Path.Combine(pred, "d.png"), "not a png");
            File.Copy(Path.Combine(truth, "a.png"), Path.Combine(truth, "d.png"));
            var table = new StringWriter();
            string json = Path.Combine(root, "missing", "folder", "m.json");
            var (metrics, batch, exitCode) = EvaluateCommand.Evaluate(pred, truth, json, null, table);
            Assert.AreEqual(BatchRunner.PartialFailureExitCode, exitCode, "partial results exit non-zero");
            Assert.AreEqual(1, metrics.ImageCount);
            CollectionAssert.AreEquivalent(new[] { "b.png", "c.png", "d.png" }, batch.Failed.Select(f => Path.GetFileName(f.File)).ToArray());
            StringAssert.Contains(table.ToString(), "1 images scored, 3 not scored");
            StringAssert.Contains(table.ToString(), "no prediction");
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
            Assert.AreEqual(1, doc.RootElement.GetProperty("ImageCount").GetInt32());
            Assert.AreEqual(3, doc.RootElement.GetProperty("NotScored").GetArrayLength());

            File.Delete(Path.Combine(pred, "a.png"));
            File.Delete(Path.Combine(pred, "c.png"));
            var none = Assert.ThrowsExactly<InvalidDataException>(() => EvaluateCommand.Run(pred, truth, null, null, TextWriter.Null));
            StringAssert.Contains(none.Message, "d.png");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
