using System.Text.RegularExpressions;

namespace Microsoft.ML.AdGan.Tests.Samples;

/// <summary>Every C# block of the README is a file of samples/ that the build compiles, character for character.</summary>
[TestClass]
public sealed partial class ReadmeCodeTests
{
    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "README.md")) && Directory.Exists(Path.Combine(folder.FullName, "samples")))
                return folder.FullName;
        throw new AssertFailedException($"No repository root (README.md beside samples/) above {AppContext.BaseDirectory}.");
    }

    [TestMethod]
    public void EveryCSharpBlockIsACompiledSampleFile()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.IsNotEmpty(blocks, "the README shows C# code");
        var samples = Directory.GetFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f).ReplaceLineEndings("\n"));
        foreach (var block in blocks)
        {
            var match = samples.FirstOrDefault(s => s.Value == block);
            Assert.IsNotNull(match.Key, $"This README block is no file of samples/ (copy the file into the README, or the block into a sample project):\n{block[..Math.Min(300, block.Length)]}");
            string project = Path.GetDirectoryName(Path.Combine(root, match.Key))!;
            Assert.IsNotEmpty(Directory.GetFiles(project, "*.csproj"), $"{match.Key} is compiled by a project");
        }
    }
}
