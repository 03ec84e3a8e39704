using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Sharding;

namespace Microsoft.ML.AdGan.Tests.Sharding;

[TestClass]
public sealed class ShardSummariesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static List<string> Paths(int count) => Enumerable.Range(0, count).Select(i => $"images/{i:D3}.png").ToList();

    private static ShardSummary Summary(int index, int count, IEnumerable<string> paths, string? model = "m1") => new()
    {
        ShardIndex = index,
        ShardCount = count,
        ModelId = model,
        Started = Start.AddMinutes(index),
        Finished = Start.AddMinutes(index + 10),
        Files = new ShardAssignment(index, count).Select(paths)
            .Select(p => p.EndsWith("7.png", StringComparison.Ordinal)
                ? new ShardFileResult(p, Array.Empty<string>(), null, 0.1, "unreadable")
                : new ShardFileResult(p, new[] { "labels/" + p }, 3, 0.5))
            .ToList(),
    };

    [TestMethod]
    public void MergingAllShardsGivesEveryFileOnceInPathOrder()
    {
        var paths = Paths(60);
        var merged = ShardSummaries.Merge(Enumerable.Range(0, 4).Reverse().Select(i => Summary(i, 4, paths)));
        Assert.IsTrue(merged.Complete);
        CollectionAssert.AreEqual(paths, merged.Files.Select(f => f.Path).ToList());
        Assert.AreEqual(6, merged.Failed);
        Assert.AreEqual(54 * 3, merged.Objects);
        Assert.AreEqual("m1", merged.ModelId);
        Assert.AreEqual(Start, merged.Started);
        Assert.AreEqual(Start.AddMinutes(13), merged.Finished);
    }

    [TestMethod]
    public void MissingShardsAreListed()
    {
        var merged = ShardSummaries.Merge(new[] { Summary(0, 3, Paths(30)), Summary(2, 3, Paths(30)) });
        Assert.IsFalse(merged.Complete);
        CollectionAssert.AreEqual(new[] { 1 }, merged.MissingShards.ToList());
    }

    [TestMethod]
    public void InconsistentShardsAreRefusedNamingTheProblem()
    {
        var paths = Paths(30);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSummaries.Merge(new[] { Summary(0, 3, paths), Summary(1, 4, paths) })).Message, "4 shards");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSummaries.Merge(new[] { Summary(0, 3, paths), Summary(0, 3, paths) })).Message, "appears 2 times");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSummaries.Merge(new[] { Summary(0, 3, paths), Summary(1, 3, paths, "m2") })).Message, "different models");
        var misplaced = Summary(0, 3, paths) with { ShardIndex = 1 };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSummaries.Merge(new[] { misplaced })).Message, "belongs to shard");
        Assert.ThrowsExactly<ArgumentException>(() => ShardSummaries.Merge(Array.Empty<ShardSummary>()));
    }

    [TestMethod]
    public void MergeCommandReadsFoldersWritesJsonAndSignalsMissingShards()
    {
        using var folder = new TempFolder();
        var paths = Paths(40);
        for (int i = 0; i < 3; i++)
        {
            var summary = Summary(i, 3, paths);
            summary.Write(Path.Combine(folder.Path, "out", new ShardAssignment(i, 3).SummaryFileName));
            Assert.HasCount(summary.Files.Count, ShardSummary.Read(Path.Combine(folder.Path, "out", new ShardAssignment(i, 3).SummaryFileName)).Files);
        }
        var log = new StringWriter();
        Assert.AreEqual(0, MergeSummariesCommand.Run(new[] { folder.File("out") }, folder.File("merged.json"), log));
        StringAssert.Contains(log.ToString(), "3 of 3 shards");
        StringAssert.Contains(File.ReadAllText(folder.File("merged.json")), "\"FileCount\": 40");

        File.Delete(Path.Combine(folder.Path, "out", new ShardAssignment(1, 3).SummaryFileName));
        log = new StringWriter();
        Assert.AreEqual(MergeSummariesCommand.MissingShardsExitCode, MergeSummariesCommand.Run(new[] { folder.File("out") }, folder.File("merged.json"), log));
        StringAssert.Contains(log.ToString(), "Missing shards: 1.");
    }

    [TestMethod]
    public void UnreadableSummariesAreNamed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("broken.json"), "{ not json");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ShardSummary.Read(folder.File("broken.json"))).Message, "broken.json");
        File.WriteAllText(folder.File("future.json"), "{\"FormatVersion\": 9, \"ShardIndex\": 0, \"ShardCount\": 1}");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ShardSummary.Read(folder.File("future.json"))).Message, "version 9");
        File.WriteAllText(folder.File("impossible.json"), "{\"ShardIndex\": 5, \"ShardCount\": 2}");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ShardSummary.Read(folder.File("impossible.json"))).Message, "shard 5 of 2");
        Assert.ThrowsExactly<FileNotFoundException>(() => ShardSummary.Read(folder.File("absent.json")));
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => MergeSummariesCommand.Run(new[] { folder.Path }, folder.File("m.json"), TextWriter.Null)).Message, "holds no summary");
    }
}
