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

            File.Copy(Path.Combine(truth, "a.png"), Path.Combine(truth, "b.png"));
            var e = Assert.ThrowsExactly<FileNotFoundException>(() => EvaluateCommand.Run(pred, truth, null, null, TextWriter.Null));
            StringAssert.Contains(e.Message, "b.png");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
