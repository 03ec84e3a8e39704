using Microsoft.ML.AdGan.Estimators;
using System.IO.Compression;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Persistence;

/// <summary>Damaged model zips and checkpoints give <see cref="AdGanModelFormatException"/> naming the file, whatever the damage.</summary>
[TestClass]
public sealed class CorruptFileTests
{
    private static string SaveTinyModel(TempFolder temp)
    {
        string path = temp.File("model.zip");
        using var model = AdGanModelSerializerTests.TinyModel();
        AdGanModelFile.Save(new MLContext(1), model, path);
        AdGanModelCache.Remove(model.Id);
        return path;
    }

    private static void AssertRefused(string path, string because)
    {
        var e = Assert.ThrowsExactly<AdGanModelFormatException>(() =>
        {
            using var model = AdGanModelFile.LoadModel(new MLContext(1), path);
            AdGanModelCache.Remove(model.Id);
        }, because);
        StringAssert.Contains(e.Message, Path.GetFileName(path), because);
    }

    /// <summary>Rewrites the zip at <paramref name="source"/> to <paramref name="target"/>, each entry's bytes changed by <paramref name="change"/> (null drops it).</summary>
    private static void Rewrite(string source, string target, Func<string, byte[], byte[]?> change)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var memory = new MemoryStream();
            using (var stream = entry.Open())
                stream.CopyTo(memory);
            if (change(entry.FullName, memory.ToArray()) is not { } bytes)
                continue;
            using var written = output.CreateEntry(entry.FullName).Open();
            written.Write(bytes);
        }
    }

    [TestMethod]
    public void FlippedBytesAnywhereInAModelZipAreRefused()
    {
        using var temp = new TempFolder();
        string good = SaveTinyModel(temp);
        var bytes = File.ReadAllBytes(good);
        for (int k = 0; k < 8; k++)
        {
            var damaged = (byte[])bytes.Clone();
            int offset = (int)((long)bytes.Length * k / 8) + 40;
            for (int i = offset; i < Math.Min(offset + 64, damaged.Length); i++)
                damaged[i] ^= 0xFF;
            string path = temp.File($"flipped{k}.zip");
            File.WriteAllBytes(path, damaged);
            AssertRefused(path, $"64 bytes flipped at {offset} of {bytes.Length}");
        }
    }

    [TestMethod]
    public void TruncatedOrSwappedInnerEntriesAreRefused()
    {
        using var temp = new TempFolder();
        string good = SaveTinyModel(temp);
        List<string> names;
        using (var zip = ZipFile.OpenRead(good))
            names = zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("TransformerChain", StringComparison.Ordinal) || n == "Schema").ToList();
        Assert.IsNotEmpty(names);
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            string path = temp.File($"truncated{i}.zip");
            Rewrite(good, path, (entry, data) => entry == name ? data[..(data.Length / 2)] : data);
            AssertRefused(path, $"'{name}' cut to half");
        }

        var keys = names.Where(n => n.EndsWith("Model.key", StringComparison.Ordinal)).ToList();
        var contents = new Dictionary<string, byte[]>();
        Rewrite(good, temp.File("copy.zip"), (entry, data) => contents[entry] = data);
        string swapped = temp.File("swapped.zip");
        Rewrite(good, swapped, (entry, data) => entry == keys[0] ? contents[keys[^1]] : entry == keys[^1] ? contents[keys[0]] : data);
        AssertRefused(swapped, "entries of other types swapped");
        string wrongMarker = temp.File("marker.zip");
        Rewrite(good, wrongMarker, (entry, data) => entry == AdGanModelFile.MarkerEntry ? "{\"FormatVersion\":\"three\"}"u8.ToArray() : data);
        AssertRefused(wrongMarker, "a marker of the wrong types");
    }

    [TestMethod]
    public void DamagedCheckpointsAreRefusedNamingTheFile()
    {
        using var temp = new TempFolder();
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        string good = temp.File("good.adgan");
        using (var trainer = new AdGanTrainer(options, TinyTraining.Source(options)))
            trainer.SaveCheckpoint(good);
        var bytes = File.ReadAllBytes(good);

        void AssertRefusedCheckpoint(string name, byte[] content)
        {
            string path = temp.File(name);
            File.WriteAllBytes(path, content);
            var resume = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
            resume.ResumeFrom = path;
            var e = Assert.ThrowsExactly<AdGanModelFormatException>(() => new AdGanTrainer(resume, TinyTraining.Source(resume)).Dispose(), name);
            StringAssert.Contains(e.Message, name);
        }

        for (int k = 1; k < 8; k++)
        {
            var flipped = (byte[])bytes.Clone();
            int offset = (int)((long)bytes.Length * k / 8);
            for (int i = offset; i < Math.Min(offset + 64, flipped.Length); i++)
                flipped[i] ^= 0xFF;
            AssertRefusedCheckpoint($"flipped{k}.adgan", flipped);
        }

        AssertRefusedCheckpoint("cut.adgan", bytes[..(bytes.Length * 2 / 3)]);
        using var header = new MemoryStream();
        using (var writer = new BinaryWriter(header))
        {
            writer.Write("ADGANCKP"u8);
            writer.Write(2);
            writer.Write("{\"Iteration\":\"many\"}");
        }

        AssertRefusedCheckpoint("header.adgan", header.ToArray());
    }
}
