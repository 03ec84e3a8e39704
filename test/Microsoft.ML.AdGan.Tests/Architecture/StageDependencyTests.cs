using Microsoft.ML.AdGan.Tests.Numerics;

namespace Microsoft.ML.AdGan.Tests.Architecture;

/// <summary>
/// The stage folders of the library depend one way: each imports only the layers below it (docs/architecture.md draws
/// the same order), so no two folders import each other.
/// </summary>
[TestClass]
public sealed class StageDependencyTests
{
    /// <summary>The layers of src/Microsoft.ML.AdGan, lowest first.</summary>
    public static readonly string[] CoreLayers =
    {
        "Imaging", "PostProcessing", "Synthesis", "Networks", "Evaluation", "Priors", "Export", "Reporting", "Inference",
        "Deployment", "Persistence", "Training", "Sharding", "Estimators",
    };

    /// <summary>The layers of src/Microsoft.ML.AdGan.Tools, lowest first (all above the core library).</summary>
    public static readonly string[] ToolsLayers = { "Datasets", "Reporting", "Benchmarks", "Demo" };

    private static string Project(string name) =>
        Path.Combine(ScalarLifetimeCheck.RepositoryRoot(), "src", name, name + ".csproj");

    [TestMethod]
    public void CoreStagesImportOnlyTheLayersBelowThem() => Check("Microsoft.ML.AdGan", CoreLayers);

    [TestMethod]
    public void ToolFoldersImportOnlyTheLayersBelowThem() => Check("Microsoft.ML.AdGan.Tools", ToolsLayers);

    [TestMethod]
    public void AnImportUpwardsOrBothWaysIsReported()
    {
        var imports = new[]
        {
            new StageDependencies.Import("Low", "High", new[] { "Low/A.cs(1): using High;" }),
            new StageDependencies.Import("Middle", "Low", new[] { "Middle/B.cs(1): using Low;" }),
            new StageDependencies.Import("High", "Middle", new[] { "High/C.cs(1): Thing" }),
            new StageDependencies.Import("Middle", "High", new[] { "Middle/D.cs(1): Other" }),
        };
        var problems = StageDependencies.Violations(imports, new[] { "Low", "Middle", "High" }, new[] { "Low", "Middle", "High", "Loose" });
        Assert.HasCount(4, problems, string.Join(Environment.NewLine, problems));
        Assert.IsTrue(problems.Any(p => p.StartsWith("Loose/ is in no layer", StringComparison.Ordinal)));
        Assert.IsTrue(problems.Any(p => p.StartsWith("Low imports High, a later layer", StringComparison.Ordinal)));
        Assert.AreEqual(2, problems.Count(p => p.Contains("import each other", StringComparison.Ordinal)));
    }

    private static void Check(string name, IReadOnlyList<string> layers)
    {
        var project = Project(name);
        var imports = StageDependencies.Of(project, out var errors);
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors.Take(20)));
        foreach (var import in imports)
            Console.WriteLine($"{import.From} -> {import.To} ({import.Places.Count} places, first {import.Where})");
        var problems = StageDependencies.Violations(imports, layers, StageDependencies.SourceFolders(project));
        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }
}
