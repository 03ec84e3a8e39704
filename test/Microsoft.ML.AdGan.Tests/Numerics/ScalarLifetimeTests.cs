using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// No code in src/ or samples/ leaves a native Scalar to the garbage collector while libtorch may still read it
/// (TorchSharp frees a Scalar in its finaliser, and a temporary is unreachable once its handle is passed on).
/// </summary>
[TestClass]
public sealed class ScalarLifetimeTests
{
    [TestMethod]
    public void TheTorchSharpAnalysisFindsTheKnownTemporaries()
    {
        var scalars = TorchSharpScalarMethods.Instance;
        Console.WriteLine($"{scalars.TemporaryCount} TorchSharp methods make a temporary Scalar.");
        int Token(Type type, string name, params Type[] parameters) =>
            (type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static, parameters)
             ?? throw new MissingMethodException(type.Name, name)).MetadataToken;
        var tensor = typeof(Tensor);
        Assert.IsTrue(scalars.CreatesTemporary(Token(tensor, "add", tensor)), "add(Tensor) passes alpha 1");
        Assert.IsTrue(scalars.CreatesTemporary(Token(tensor, "op_Addition", tensor, tensor)), "Tensor + Tensor");
        Assert.IsTrue(scalars.CreatesTemporary(Token(tensor, "op_Multiply", tensor, typeof(double))), "Tensor * double");
        Assert.IsTrue(scalars.CreatesTemporary(Token(typeof(Adam), "step", typeof(Func<Tensor>))), "Adam.step");
        Assert.IsTrue(scalars.CreatesTemporary(Token(typeof(LeakyReLU), "forward", tensor)), "LeakyReLU.forward");
        Assert.IsTrue(scalars.CreatesTemporary(Token(typeof(TensorExtensionMethods), "ToDouble", tensor)), "Tensor.ToDouble");
        Assert.IsFalse(scalars.CreatesTemporary(Token(tensor, "add", tensor, typeof(Scalar))), "add(Tensor, Scalar)");
        Assert.IsFalse(scalars.CreatesTemporary(Token(tensor, "sub", tensor)), "sub(Tensor) calls libtorch directly");
        Assert.IsFalse(scalars.CreatesTemporary(Token(tensor, "op_Multiply", tensor, tensor)), "Tensor * Tensor");
        Assert.IsTrue(scalars.IsCreator(Token(typeof(ScalarExtensionMethods), "ToScalar", typeof(double))), "ToScalar");
    }

    [TestMethod]
    public void SourcesMakeNoTemporaryScalars()
    {
        var root = ScalarLifetimeCheck.RepositoryRoot();
        var projects = new[] { "src", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.IsGreaterThanOrEqualTo(2, projects.Count, "projects under src/ and samples/");
        var findings = new List<string>();
        foreach (var project in projects)
        {
            var (errors, found) = ScalarLifetimeCheck.Analyze(ScalarLifetimeCheck.CompileProject(project));
            Assert.IsEmpty(errors, $"{Path.GetFileName(project)} does not compile here, so calls could go unchecked: {string.Join(Environment.NewLine, errors.Take(20))}");
            Console.WriteLine($"{Path.GetRelativePath(root, project)}: {found.Count} findings");
            findings.AddRange(found.Select(f => Path.GetRelativePath(root, f.Split('(')[0]) + f[f.IndexOf('(')..]));
        }
        Assert.IsEmpty(findings, string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void EveryKindOfTemporaryIsFlaggedAndKeptScalarsAreNot()
    {
        const string Snippet = """
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Snippet
            {
                private static readonly Scalar One = 1.0.ToScalar();
                public static Tensor Bad(Tensor a, Tensor b)
                {
                    var sum = a + b;                                 // line 8: operator + passes alpha 1
                    var added = a.add(b);                            // line 9: add(Tensor) passes alpha 1
                    var scaled = a * 2.0;                            // line 10: operator *(Tensor, double)
                    var filled = full_like(a, 0.5);                  // line 11: implicit double -> Scalar
                    var local = 3.0.ToScalar();                      // line 12: a local nothing keeps alive
                    var relu = nn.LeakyReLU(0.2);                    // line 13: a module whose forward converts its slope
                    var mean = a.mean().ToDouble();                  // line 14: ToDouble goes through a temporary Scalar
                    var adam = optim.Adam(new[] { new TorchSharp.Modules.Parameter(a) }, 0.1);
                    adam.step();                                     // line 16: Adam.step converts its betas
                    return sum.add(added, local).add(scaled, One).add(filled, One);
                }
                public static Tensor Good(Tensor a, Tensor b)
                {
                    using var half = 0.5.ToScalar();
                    var difference = a - b;
                    return a.add(b, One).mul(half).add(difference, One) * b;
                }
            }
            """;
        var (errors, findings) = ScalarLifetimeCheck.Analyze(ScalarLifetimeCheck.CompileSnippet(Snippet));
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors));
        Console.WriteLine(string.Join(Environment.NewLine, findings));
        var flaggedLines = findings.Select(f => int.Parse(f.Split('(', ')')[1])).ToHashSet();
        foreach (var line in new[] { 8, 9, 10, 11, 12, 13, 14, 16 })
            Assert.Contains(line, flaggedLines, $"line {line} of the snippet is not flagged");
        Assert.IsTrue(flaggedLines.All(l => l >= 8 && l <= 17), $"kept Scalars flagged: {string.Join("; ", findings)}");
    }
}
