using System.CommandLine;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Sharding;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class SegmentShardingTests
{
    /// <summary>Runs the adgan tool in-process with <paramref name="args"/> and returns its exit code.</summary>
    internal static int Adgan(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }

    /// <summary>Writes <paramref name="count"/> small simulated images under <paramref name="folder"/>, some in a subfolder, one pair sharing a name but not an extension.</summary>
    internal static IReadOnlyList<string> WriteImages(string folder, int count, int side = 48)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions { Shape = ImageShape.Of2D(side, side), SemiAxis = (4, 6), CountPerImage = (2, 4), Seed = 5 });
        var relative = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string name = i % 3 == 2 ? $"plate{i % 2}/well {i:D2}" : $"img{i:D2}";
            string file = SynthesisImageFiles.Write(Path.Combine(folder, name), simulator.Simulate(i).Image, 8);
            relative.Add(Path.GetRelativePath(folder, file).Replace('\\', '/'));
        }

        // Same name as img00.png, other format: both must get outputs of their own.
        var tif = Path.Combine(folder, "img00.tif");
        MicroscopyImageWriter.Write(tif, simulator.Simulate(99).Image, new IntensityScaling(0, 255, 8));
        relative.Add("img00.tif");
        return relative;
    }

    [TestMethod]
    public void EveryFileLandsInExactlyOneShardAndTheMergedSummariesCoverTheFolder()
    {
        using var temp = new TempFolder();
        string images = temp.File("images"), output = temp.File("labels");
        var files = WriteImages(images, 13);
        const int shards = 4;
        for (int i = 0; i < shards; i++)
            Assert.AreEqual(0, Adgan("segment", "--method", "threshold", "--min-diameter", "4", "--images", images, "--out", output, "--recursive", "--shard", $"{i}/{shards}"));

        var seen = new Dictionary<string, int>();
        var outputs = new HashSet<string>();
        for (int i = 0; i < shards; i++)
        {
            var summary = ShardSummary.Read(Path.Combine(output, $"summary.shard-{i}-of-{shards}.json"));
            Assert.AreEqual(i, summary.ShardIndex);
            Assert.AreEqual(shards, summary.ShardCount);
            foreach (var file in summary.Files)
            {
                Assert.IsFalse(seen.ContainsKey(file.Path), $"'{file.Path}' is in shard {i} and shard {(seen.TryGetValue(file.Path, out int other) ? other : -1)}");
                seen[file.Path] = i;
                Assert.AreEqual(ShardAssignment.ShardOf(file.Path, shards), i, $"'{file.Path}' is in the shard its hash names");
                Assert.IsNull(file.Error);
                foreach (var written in file.Outputs)
                {
                    Assert.IsTrue(outputs.Add(written), $"'{written}' is written twice");
                    Assert.IsTrue(File.Exists(Path.Combine(output, written)), written);
                }
            }
        }

        CollectionAssert.AreEquivalent(files.ToList(), seen.Keys.ToList(), "every file of the folder is in exactly one shard");
        Assert.IsGreaterThan(1, seen.Values.Distinct().Count(), "the files spread over several shards");
        Assert.IsTrue(outputs.Contains("img00.png.png") && outputs.Contains("img00.tif.png"), string.Join(", ", outputs));
        Assert.IsTrue(outputs.Contains("plate0/well 02.png") || outputs.Contains("plate1/well 05.png"), "subfolders are mirrored: " + string.Join(", ", outputs));

        string merged = temp.File("merged.json");
        Assert.AreEqual(0, Adgan("merge-summaries", "--out", merged, output));
        var all = ShardSummaries.Merge(Enumerable.Range(0, shards).Select(i => ShardSummary.Read(Path.Combine(output, $"summary.shard-{i}-of-{shards}.json"))));
        Assert.IsTrue(all.Complete);
        Assert.AreEqual(files.Count, all.FileCount);
        StringAssert.Contains(File.ReadAllText(merged), "\"FileCount\": " + files.Count);

        // One summary missing: the merge lists it and says so with its exit code.
        File.Delete(Path.Combine(output, $"summary.shard-1-of-{shards}.json"));
        Assert.AreEqual(MergeSummariesCommand.MissingShardsExitCode, Adgan("merge-summaries", "--out", merged, output));
    }

    [TestMethod]
    public void AddingFilesNeverMovesTheOthers()
    {
        using var temp = new TempFolder();
        string images = temp.File("images");
        var before = WriteImages(images, 6).ToDictionary(f => f, f => ShardAssignment.ShardOf(f, 5));
        WriteImages(temp.File("more"), 9);
        foreach (var extra in Directory.EnumerateFiles(temp.File("more")))
            File.Copy(extra, Path.Combine(images, "new-" + Path.GetFileName(extra)));
        Assert.AreEqual(0, Adgan("segment", "--method", "threshold", "--images", images, "--out", temp.File("out"), "--shard", "2/5"));
        var summary = ShardSummary.Read(temp.File("out/summary.shard-2-of-5.json"));
        var taken = summary.Files.Select(f => f.Path).ToHashSet();
        foreach (var (file, shard) in before.Where(b => !b.Key.Contains('/')))
            Assert.AreEqual(shard == 2, taken.Contains(file), $"'{file}' stays in shard {shard}");
    }

    [TestMethod]
    public void TheShardComesFromTheSchedulersVariables()
    {
        var kubernetes = new Dictionary<string, string> { [ShardAssignment.KubernetesIndexVariable] = "3" };
        Assert.AreEqual(new ShardAssignment(3, 8), SegmentRunArguments.Shard(null, 8, n => kubernetes.GetValueOrDefault(n)));
        var slurm = new Dictionary<string, string> { [ShardAssignment.SlurmTaskIdVariable] = "5", [ShardAssignment.SlurmTaskMinVariable] = "1" };
        Assert.AreEqual(new ShardAssignment(4, 8), SegmentRunArguments.Shard(null, 8, n => slurm.GetValueOrDefault(n)));
        Assert.AreEqual(new ShardAssignment(1, 4), SegmentRunArguments.Shard("1/4", null));
        Assert.IsNull(SegmentRunArguments.Shard(null, null));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SegmentRunArguments.Shard("1/4", 4)).Message, "--shards");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SegmentRunArguments.Shard(null, 4, _ => null)).Message, ShardAssignment.KubernetesIndexVariable);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SegmentRunArguments.Shard("4/4", null)).Message, "4/4");
    }

    [TestMethod]
    public void OutputNamesAreUniqueAndKeepTheFileNameWhereTheyCan()
    {
        var stems = SegmentRun.OutputStems(new[] { "a.png", "a.tif", "b.png", "sub/b.tif", "c.d.png" });
        Assert.AreEqual("a.png", stems["a.png"]);
        Assert.AreEqual("a.tif", stems["a.tif"]);
        Assert.AreEqual("b", stems["b.png"]);
        Assert.AreEqual("sub/b", stems["sub/b.tif"]);
        Assert.AreEqual("c.d", stems["c.d.png"]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => SegmentRun.OutputStems(new[] { "x.tif.png", "x.tif", "x.png" }));
        StringAssert.Contains(e.Message, "x.tif");
    }
}
