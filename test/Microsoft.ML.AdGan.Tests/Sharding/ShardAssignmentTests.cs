using Microsoft.ML.AdGan.Sharding;

namespace Microsoft.ML.AdGan.Tests.Sharding;

[TestClass]
public sealed class ShardAssignmentTests
{
    private static List<string> Paths(int count, string prefix = "plate") =>
        Enumerable.Range(0, count).Select(i => $"{prefix}{i % 7}/well-{i:D4}/image_{i * 37 % 1000}.tif").ToList();

    [TestMethod]
    public void EveryFileLandsInExactlyOneShard()
    {
        var paths = Paths(1000);
        foreach (int n in new[] { 1, 2, 3, 7, 16 })
        {
            var shards = Enumerable.Range(0, n).Select(i => new ShardAssignment(i, n)).ToList();
            foreach (var path in paths)
                Assert.AreEqual(1, shards.Count(s => s.Contains(path)), $"{path} with {n} shards");
            var sizes = shards.Select(s => s.Select(paths).Count()).ToList();
            Assert.AreEqual(paths.Count, sizes.Sum());
            foreach (var size in sizes)
                Assert.IsLessThan(0.3 * paths.Count / n + 10, Math.Abs(size - paths.Count / (double)n), $"shard sizes {string.Join(", ", sizes)} for {n} shards");
        }
    }

    [TestMethod]
    public void AddingFilesNeverMovesTheOthers()
    {
        var before = Paths(300);
        var after = before.Concat(Paths(200, "new")).Reverse().ToList();
        foreach (int n in new[] { 2, 5, 12 })
            foreach (var path in before)
                Assert.AreEqual(ShardAssignment.ShardOf(path, n), ShardAssignment.ShardOf(after.Single(p => p == path), n));
        var shard = new ShardAssignment(1, 5);
        CollectionAssert.AreEqual(shard.Select(before).ToList(), shard.Select(after).Where(before.Contains).Reverse().ToList());
    }

    [TestMethod]
    public void TheHashIsTheDocumentedSha256PrefixWhateverTheSeparatorsOrNormalForm()
    {
        // First 8 bytes of SHA-256 of the UTF-8 path, big-endian, modulo n (reproducible with any SHA-256 tool).
        Assert.AreEqual(13, ShardAssignment.ShardOf("images/a.png", 16));
        Assert.AreEqual(5, ShardAssignment.ShardOf("b.tif", 7));
        Assert.AreEqual(1, ShardAssignment.ShardOf("sub/dir/c.png", 16));
        Assert.AreEqual(ShardAssignment.ShardOf("sub/dir/c.png", 16), ShardAssignment.ShardOf("sub\\dir\\c.png", 16));
        Assert.AreEqual(ShardAssignment.ShardOf("sub/dir/c.png", 16), ShardAssignment.ShardOf("./sub/dir/c.png", 16));
        Assert.AreEqual(15, ShardAssignment.ShardOf("\u00fc/x.png", 16));
        Assert.AreEqual(15, ShardAssignment.ShardOf("u\u0308/x.png", 16), "decomposed (NFD) names hash as composed ones");
    }

    [TestMethod]
    public void AbsolutePathsAreRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.ShardOf("/data/a.png", 4));
        StringAssert.Contains(e.Message, "/data/a.png");
    }

    [TestMethod]
    public void ParseReadsZeroBasedIndexOverCount()
    {
        Assert.AreEqual(new ShardAssignment(0, 4), ShardAssignment.Parse("0/4"));
        Assert.AreEqual(new ShardAssignment(3, 4), ShardAssignment.Parse(" 3 / 4 "));
        Assert.AreEqual("3/4", ShardAssignment.Parse("3/4").ToString());
        Assert.AreEqual("summary.shard-3-of-4.json", ShardAssignment.Parse("3/4").SummaryFileName);
        foreach (var bad in new[] { "4/4", "-1/4", "1/0", "a/4", "1", "1/2/3", "", "1.5/4" })
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.Parse(bad), bad);
            StringAssert.Contains(e.Message, $"'{bad}'");
        }
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void KubernetesCompletionIndexIsTheZeroBasedShard()
    {
        Assert.AreEqual(new ShardAssignment(0, 3), ShardAssignment.FromEnvironment(3, Environment(("JOB_COMPLETION_INDEX", "0"))));
        Assert.AreEqual(new ShardAssignment(2, 3), ShardAssignment.FromEnvironment(3, Environment(("JOB_COMPLETION_INDEX", "2"))));
        var tooLarge = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(3, Environment(("JOB_COMPLETION_INDEX", "3"))));
        StringAssert.Contains(tooLarge.Message, "JOB_COMPLETION_INDEX=3");
        StringAssert.Contains(tooLarge.Message, "only 3 shards");
        var notANumber = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(3, Environment(("JOB_COMPLETION_INDEX", "two"))));
        StringAssert.Contains(notANumber.Message, "JOB_COMPLETION_INDEX is 'two'");
        Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(3, Environment(("JOB_COMPLETION_INDEX", "-1"))));
    }

    [TestMethod]
    public void SlurmTaskIdIsOffsetByTheArraysFirstIndexAndStep()
    {
        Assert.AreEqual(new ShardAssignment(0, 4), ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        Assert.AreEqual(new ShardAssignment(3, 4), ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.AreEqual(new ShardAssignment(2, 4), ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "20"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_STEP", "10"))));

        var noMin = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "2"))));
        StringAssert.Contains(noMin.Message, "SLURM_ARRAY_TASK_MIN");
        var offGrid = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "15"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_STEP", "10"))));
        StringAssert.Contains(offGrid.Message, "SLURM_ARRAY_TASK_ID=15");
        var wrongCount = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "8"))));
        StringAssert.Contains(wrongCount.Message, "SLURM_ARRAY_TASK_COUNT is 8");
        var beyond = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        StringAssert.Contains(beyond.Message, "shard index 4");
        var badStep = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_STEP", "0"))));
        StringAssert.Contains(badStep.Message, "SLURM_ARRAY_TASK_STEP");
    }

    [TestMethod]
    public void MissingOrAmbiguousSchedulerIndexIsAClearError()
    {
        var none = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment()));
        StringAssert.Contains(none.Message, "JOB_COMPLETION_INDEX");
        StringAssert.Contains(none.Message, "SLURM_ARRAY_TASK_ID");
        var blank = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("JOB_COMPLETION_INDEX", "  "))));
        StringAssert.Contains(blank.Message, "No shard index");
        var both = Assert.ThrowsExactly<ArgumentException>(() => ShardAssignment.FromEnvironment(4, Environment(("JOB_COMPLETION_INDEX", "1"), ("SLURM_ARRAY_TASK_ID", "1"))));
        StringAssert.Contains(both.Message, "Both");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ShardAssignment.FromEnvironment(0, Environment(("JOB_COMPLETION_INDEX", "0"))));
    }
}
