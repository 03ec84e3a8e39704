using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// Compiles C# sources with Roslyn against the TorchSharp assembly the tests use, and reports every place where a
/// native Scalar can be finalised during the native call that reads it: an implicit conversion to <c>Scalar</c>, a call
/// of a TorchSharp method that makes a temporary Scalar (<see cref="TorchSharpScalarMethods"/>), a TorchSharp module
/// whose forward does, and a Scalar made (<c>ToScalar()</c>, a cast) anywhere but a field or a <c>using</c> declaration.
/// </summary>
internal static class ScalarLifetimeCheck
{
    /// <summary>Compiler errors that do not hide calls: members that source generators would have written.</summary>
    private static readonly HashSet<string> GeneratorErrors = new() { "CS8795" };

    private static readonly string[] ImplicitUsings =
        { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" };

    private static readonly string[] WebImplicitUsings =
    {
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    /// <summary>The repository root (the folder holding the solution), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Microsoft.ML.AdGan.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No Microsoft.ML.AdGan.sln above '{AppContext.BaseDirectory}'.");
    }

    /// <summary>Compiles the project at <paramref name="projectFile"/> from its sources (bin and obj left out).</summary>
    public static CSharpCompilation CompileProject(string projectFile)
    {
        var project = XDocument.Load(projectFile);
        var folder = Path.GetDirectoryName(projectFile)!;
        var assemblyName = project.Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault() ?? Path.GetFileNameWithoutExtension(projectFile);
        var isExe = project.Descendants("OutputType").Any(e => e.Value == "Exe");
        var isWeb = project.Root?.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web";
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal);
        var trees = files.Select(f => Parse(File.ReadAllText(f), f)).ToList();
        var usings = isWeb ? ImplicitUsings.Concat(WebImplicitUsings) : ImplicitUsings;
        trees.Add(Parse(string.Concat(usings.Select(u => $"global using global::{u};\n")), "GlobalUsings.g.cs"));
        return Compile(assemblyName, trees, isExe);
    }

    /// <summary>Compiles a snippet (a library) against the same references.</summary>
    public static CSharpCompilation CompileSnippet(string source) =>
        Compile("Snippet", new[] { Parse(source, "Snippet.cs"), Parse(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), "GlobalUsings.g.cs") }, isExe: false);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

    /// <summary>
    /// Every place in <paramref name="compilation"/> where a temporary native Scalar is made, as "file(line): what", and the
    /// compiler errors that would leave calls unbound (so unchecked).
    /// </summary>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Findings) Analyze(CSharpCompilation compilation)
    {
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            errors.AddRange(model.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && !GeneratorErrors.Contains(d.Id)).Select(d => d.ToString()));
            // The operation trees of member bodies and initializers: descend the syntax until a node has an operation.
            var roots = new HashSet<IOperation>();
            var pending = new Stack<SyntaxNode>();
            pending.Push(tree.GetRoot());
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (model.GetOperation(node) is { } found)
                {
                    while (found.Parent is not null) found = found.Parent;
                    roots.Add(found);
                    continue;
                }
                foreach (var child in node.ChildNodes()) pending.Push(child);
            }
            foreach (var operation in roots.SelectMany(r => r.DescendantsAndSelf()))
                foreach (var problem in Problems(operation, model))
                {
                    var line = operation.Syntax.GetLocation().GetLineSpan();
                    findings.Add($"{line.Path}({line.StartLinePosition.Line + 1}): {problem}");
                }
        }
        return (errors, findings.ToList());
    }

    private static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: new[] { "RELEASE", "NET", "NET10_0", "NET10_0_OR_GREATER", "NET8_0_OR_GREATER" }), path);

    private static CSharpCompilation Compile(string assemblyName, IEnumerable<SyntaxTree> trees, bool isExe)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { assemblyName, typeof(ScalarLifetimeCheck).Assembly.GetName().Name! };
        var references = References.Value.Where(r => !own.Contains(Path.GetFileNameWithoutExtension(r.Display ?? "")));
        var options = new CSharpCompilationOptions(isExe ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
            .WithMetadataImportOptions(MetadataImportOptions.All);
        return CSharpCompilation.Create(assemblyName, trees, references, options);
    }

    private static IEnumerable<string> Problems(IOperation operation, SemanticModel model)
    {
        var scalars = TorchSharpScalarMethods.Instance;
        switch (operation)
        {
            case IConversionOperation { OperatorMethod: { } conversion } c when IsTorchSharp(conversion) && IsScalar(c.Type):
                if (c.IsImplicit)
                    yield return $"implicit conversion of {c.Operand.Type?.ToDisplayString() ?? "a value"} to Scalar (a temporary)";
                else if (!IsKeptAlive(operation, model))
                    yield return "a Scalar made here is not kept alive (hold it in a field or a using declaration)";
                yield break;
            case IObjectCreationOperation creation:
                foreach (var problem in MethodProblems(creation.Constructor, operation, model)) yield return problem;
                if (ModuleProblem(creation.Type) is { } module) yield return module;
                yield break;
            case IInvocationOperation invocation:
                foreach (var problem in MethodProblems(invocation.TargetMethod, operation, model)) yield return problem;
                if (ModuleProblem(invocation.Type) is { } made) yield return made;
                yield break;
            case IBinaryOperation binary:
                foreach (var problem in MethodProblems(binary.OperatorMethod, operation, model)) yield return problem;
                yield break;
            case IUnaryOperation unary:
                foreach (var problem in MethodProblems(unary.OperatorMethod, operation, model)) yield return problem;
                yield break;
            case ICompoundAssignmentOperation compound:
                foreach (var problem in MethodProblems(compound.OperatorMethod, operation, model)) yield return problem;
                yield break;
            case IIncrementOrDecrementOperation increment:
                foreach (var problem in MethodProblems(increment.OperatorMethod, operation, model)) yield return problem;
                yield break;
            case IPropertyReferenceOperation property:
                foreach (var problem in MethodProblems(property.Property.GetMethod, operation, model)) yield return problem;
                foreach (var problem in MethodProblems(property.Property.SetMethod, operation, model)) yield return problem;
                yield break;
            case IMethodReferenceOperation reference:
                foreach (var problem in MethodProblems(reference.Method, operation, model)) yield return problem;
                yield break;
        }
    }

    private static IEnumerable<string> MethodProblems(IMethodSymbol? method, IOperation operation, SemanticModel model)
    {
        if (method is null) yield break;
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!IsTorchSharp(definition)) yield break;
        var scalars = TorchSharpScalarMethods.Instance;
        if (scalars.CreatesTemporary(definition.MetadataToken))
            yield return $"{definition.ToDisplayString()} makes a temporary Scalar";
        else if (scalars.IsCreator(definition.MetadataToken) && !IsKeptAlive(operation, model))
            yield return $"the Scalar from {definition.ToDisplayString()} is not kept alive (hold it in a field or a using declaration)";
    }

    /// <summary>A TorchSharp module whose forward makes a temporary Scalar (LeakyReLU converts its slope on every call).</summary>
    private static string? ModuleProblem(ITypeSymbol? type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            if (!IsTorchSharp(t)) return null;
            foreach (var forward in t.GetMembers("forward").OfType<IMethodSymbol>())
                if (TorchSharpScalarMethods.Instance.CreatesTemporary(forward.OriginalDefinition.MetadataToken))
                    return $"module {type!.ToDisplayString()} makes a temporary Scalar in forward";
        }
        return null;
    }

    /// <summary>A new Scalar is safe only as the whole initial value of a field or property, or of a using declaration, or assigned to a field.</summary>
    private static bool IsKeptAlive(IOperation operation, SemanticModel model)
    {
        var node = operation.Syntax;
        var parent = node.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            node = parent;
            parent = node.Parent;
        }
        switch (parent)
        {
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax }:
                return true;
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }:
                return declaration.Parent is FieldDeclarationSyntax or UsingStatementSyntax ||
                       declaration.Parent is LocalDeclarationStatementSyntax local && local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword);
            case AssignmentExpressionSyntax assignment when assignment.Right == node:
                return model.GetSymbolInfo(assignment.Left).Symbol is IFieldSymbol or IPropertySymbol;
            default:
                return false;
        }
    }

    private static bool IsTorchSharp(ISymbol symbol) => symbol.ContainingAssembly?.Name == "TorchSharp";

    private static bool IsScalar(ITypeSymbol? type) => type is { Name: "Scalar", ContainingNamespace.Name: "TorchSharp" } && IsTorchSharp(type);
}
