using System.Text.RegularExpressions;
using Microsoft.ML.AdGan.Tests.Numerics;

namespace Microsoft.ML.AdGan.Tests.Architecture;

/// <summary>
/// The repository's text (code, comments, XML docs, tests, docs, scripts) says what the code does: it does not talk
/// about how it was developed (work sessions, numbered tickets, test rigs kept elsewhere) or cite documents it does not
/// hold. Each pattern is written so that its own source does not match it.
/// </summary>
[TestClass]
public sealed class RepositoryWordsTests
{
    /// <summary>Phrases about the development process, each with why it is refused.</summary>
    private static readonly (Regex Pattern, string Why)[] Refused =
    {
        (Words(@"\bissues?\s*#?\d"), "a ticket number (say what the code does instead)"),
        (Words(@"\bissue'?s (note|target|protocol|benchmark|chosen)"), "a ticket (describe the protocol itself)"),
        (Words(@"\bsessions?[\s-]+\d"), "a numbered work session"),
        (Words(@"\b(this|that|earlier|previous|later|next|each|every|one) (work |development )?session\b"), "a work session"),
        (Words(@"\b(a|the) development session\b|\bstart of a ses{2}ion\b"), "a work session"),
        (Words(@"\bharnes{2}(es)?\b"), "a test rig outside the repository"),
        (Words(@"\breference'?s? section\b|\bsection \d+ (of the reference|contracts)\b"), "a section of a document the repository does not hold"),
        (Words(@"\bnot in (the|this) repository\b"), "something the reader cannot see"),
        (Words(@"\bhelpers? (session|branch|task)s?\b|\b(other|another) helpers?\b"), "the people or agents who wrote the code"),
        (Words(@"/work/(shared|notes|wt|main)\b"), "a path on a development machine"),
    };

    /// <summary>Links to documents of the docs folder must name a file the repository holds.</summary>
    private static readonly Regex DocumentLink = new(@"(?<![\w/.])docs/[\w./-]+?\.md\b", RegexOptions.Compiled);

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".md", ".csproj", ".props", ".targets", ".sln", ".json", ".py", ".sh", ".ps1", ".yml", ".yaml", ".txt",
        ".xml", ".html", ".css", ".js", ".Dockerfile", ".editorconfig", ".gitignore",
    };

    private static Regex Words(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.Compiled);

    [TestMethod]
    public void TheRepositoryDoesNotTalkAboutHowItWasDeveloped()
    {
        var root = ScalarLifetimeCheck.RepositoryRoot();
        var files = TextFiles(root).ToList();
        Assert.IsGreaterThan(100, files.Count, "text files found under the repository root");
        var findings = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (var (pattern, why) in Refused)
                    if (pattern.Match(lines[i]) is { Success: true } m)
                        findings.Add($"{relative}({i + 1}): \"{m.Value}\": {why}");
                foreach (Match link in DocumentLink.Matches(lines[i]))
                    if (!File.Exists(Path.Combine(root, link.Value)) && !File.Exists(Path.Combine(Path.GetDirectoryName(file)!, link.Value)))
                        findings.Add($"{relative}({i + 1}): \"{link.Value}\": a document the repository does not hold");
            }
        }

        Assert.IsEmpty(findings, string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void ThePatternsCatchWhatTheyRefuseAndPassOrdinaryWords()
    {
        string[] refused =
        {
            // Split in two so that this file does not match its own patterns.
            "as in iss" + "ue 7", "Iss" + "ue #12 asks", "the iss" + "ue's target", "sess" + "ion 3's runs", "sess" + "ions-2-3",
            "at the start of a sess" + "ion", "a development har" + "ness", "see reference sec" + "tion 4", "(not in the repo" + "sitory)",
            "another hel" + "per", "/work/sha" + "red/data",
        };
        string[] allowed =
        {
            "ONNX Runtime sessions run concurrently", "using var session = new SessionOptions()", "tissue images",
            "comparison helpers", "the reference's fixed 8-bit map", "a known issue with", "section 4 of the paper",
        };
        foreach (var text in refused)
            Assert.IsTrue(Refused.Any(r => r.Pattern.IsMatch(text)), $"not refused: {text}");
        foreach (var text in allowed)
            Assert.IsFalse(Refused.Any(r => r.Pattern.IsMatch(text)), $"refused: {text}");
    }

    /// <summary>The repository's text files: bin, obj, test results, git data and binary test data left out.</summary>
    private static IEnumerable<string> TextFiles(string root)
    {
        var skipped = new HashSet<string>(StringComparer.Ordinal) { "bin", "obj", ".git", "TestResults", "node_modules", ".vs" };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(folder))
                if (!skipped.Contains(Path.GetFileName(sub)))
                    pending.Push(sub);
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if ((TextExtensions.Contains(Path.GetExtension(name)) || name.EndsWith("Dockerfile", StringComparison.Ordinal)) && new FileInfo(file).Length < 2_000_000)
                    yield return file;
            }
        }
    }
}
