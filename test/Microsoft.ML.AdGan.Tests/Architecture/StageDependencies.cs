using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.ML.AdGan.Tests.Numerics;

namespace Microsoft.ML.AdGan.Tests.Architecture;

/// <summary>
/// The imports between the stage folders of a project: which folder's code names a type, member or namespace declared
/// in which other folder, through a <c>using</c> directive, a qualified name or a plain name the compiler binds.
/// </summary>
internal static class StageDependencies
{
    /// <summary>An import from one folder into another, with the first place it occurs.</summary>
    public sealed record Import(string From, string To, IReadOnlyList<string> Places)
    {
        /// <summary>The first place the import occurs.</summary>
        public string Where => Places[0];
    }

    /// <summary>Every import between two different top folders of the project at <paramref name="projectFile"/>.</summary>
    public static IReadOnlyList<Import> Of(string projectFile, out IReadOnlyList<string> errors)
    {
        var compilation = ScalarLifetimeCheck.CompileProject(projectFile);
        var projectFolder = Path.GetDirectoryName(projectFile)!;
        var rootNamespace = Path.GetFileNameWithoutExtension(projectFile);
        string? FolderOf(string? path)
        {
            if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path)) return null;
            var parts = Path.GetRelativePath(projectFolder, path).Split(Path.DirectorySeparatorChar);
            return parts.Length > 1 && parts[0] != ".." ? parts[0] : null;
        }
        string? FolderOfNamespace(string name) =>
            name.StartsWith(rootNamespace + ".", StringComparison.Ordinal) ? name[(rootNamespace.Length + 1)..].Split('.')[0] : null;

        var imports = new Dictionary<(string, string), List<string>>();
        var allErrors = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var from = FolderOf(tree.FilePath);
            if (from is null) continue;
            var model = compilation.GetSemanticModel(tree);
            allErrors.AddRange(model.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            void Add(string? to, SyntaxNode node)
            {
                if (to is null || to == from) return;
                var line = node.GetLocation().GetLineSpan();
                var where = $"{Path.GetRelativePath(projectFolder, tree.FilePath)}({line.StartLinePosition.Line + 1}): {node}";
                if (!imports.TryGetValue((from, to), out var places)) imports[(from, to)] = places = new List<string>();
                if (!places.Contains(where)) places.Add(where);
            }
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is UsingDirectiveSyntax { Name: { } used })
                {
                    Add(FolderOfNamespace(used.ToString()), node);
                    continue;
                }
                if (node is not SimpleNameSyntax name) continue;
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                switch (symbol)
                {
                    case null:
                        break;
                    case INamespaceSymbol ns:
                        Add(FolderOfNamespace(ns.ToDisplayString()), name);
                        break;
                    default:
                        var declaring = symbol as INamedTypeSymbol ?? (symbol as IMethodSymbol)?.ReducedFrom?.ContainingType ?? symbol.ContainingType;
                        var source = declaring?.OriginalDefinition.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree?.FilePath is { } p && FolderOf(p) is not null);
                        if (source is not null) Add(FolderOf(source.SourceTree!.FilePath), name);
                        break;
                }
            }
        }
        errors = allErrors;
        return imports.Select(kv => new Import(kv.Key.Item1, kv.Key.Item2, kv.Value))
            .OrderBy(i => i.From, StringComparer.Ordinal).ThenBy(i => i.To, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The imports that break <paramref name="layers"/> (lowest first): an import of a later layer, an import between two
    /// folders that import each other, or a folder the order does not place.
    /// </summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<Import> imports, IReadOnlyList<string> layers, IEnumerable<string> folders)
    {
        var rank = layers.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var folder in folders.Where(f => !rank.ContainsKey(f)).OrderBy(f => f, StringComparer.Ordinal))
            problems.Add($"{folder}/ is in no layer: place it in the order.");
        var pairs = imports.Select(i => (i.From, i.To)).ToHashSet();
        foreach (var import in imports)
        {
            if (pairs.Contains((import.To, import.From)))
                problems.Add($"{import.From} and {import.To} import each other: {import.Where}");
            else if (rank.TryGetValue(import.From, out var from) && rank.TryGetValue(import.To, out var to) && to > from)
                problems.Add($"{import.From} imports {import.To}, a later layer: {import.Where}");
        }
        return problems;
    }

    /// <summary>The top folders of a project that hold C# sources (bin and obj left out).</summary>
    public static IReadOnlyList<string> SourceFolders(string projectFile)
    {
        var folder = Path.GetDirectoryName(projectFile)!;
        return Directory.EnumerateDirectories(folder)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj") && Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories).Any())
            .Select(d => Path.GetFileName(d)!).OrderBy(d => d, StringComparer.Ordinal).ToList();
    }
}
