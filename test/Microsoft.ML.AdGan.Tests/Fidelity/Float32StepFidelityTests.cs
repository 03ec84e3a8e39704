using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>
/// The float32 training step against the float64 truth, with bounds taken from the authors' own float32 run. The first
/// step's encoder gradients are ill-conditioned in float32 (the authors' float32 gradients are up to 6.6e-3 from their
/// float64 ones, and another CPU's vector kernels give other errors of that size), so comparing float32 with float32
/// measures summation order; against float64, each tensor may be as far off as twice the authors' float32 error.
/// </summary>
[TestClass]
[TestCategory("Fidelity")]
public sealed class Float32StepFidelityTests
{
    /// <summary>Our float32 error may be this many times the authors' float32 error of the same quantity.</summary>
    private const double Margin = 2;

    /// <summary>No gradient is held tighter than the forward outputs (the authors' well-conditioned tensors are 1e-7 to 1e-5 off).</summary>
    private const double GradientFloor = 1e-4;

    /// <summary>No loss is held tighter than this (the authors' float32 losses are 6e-9 to 3e-8 off).</summary>
    private const double LossFloor = 1e-6;

    /// <summary>A bias before a normalisation: its gradient norm against its weight's, on both float32 sides (the true value is 0).</summary>
    private const double ZeroGradientTolerance = 1e-5;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    [TestMethod]
    public void AlignedDisentanglingStepIsWithinTwiceTheAuthorsFloat32Error()
    {
        using var networks = ReferenceData.InitialNetworks();
        var initial = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to_type(ScalarType.Float64).DetachFromDisposeScope());
        var losses = Step(networks, alignedDisentangling: true);
        var failures = new List<string>();
        CheckLosses(losses, "losses_step1", new[] { "loss_g_rec", "loss_g_cyc", "loss_g_ctr", "loss_g_adv", "loss_g_rest", "loss_dis" }, failures);
        var truth = ReferenceData.Float64StateDict("grads_step1");
        var authors = ReferenceData.StateDict("grads_step1");
        var after = ReferenceData.Float64StateDict("step1");
        try
        {
            CheckGradients(networks, truth, authors, truth.Keys, failures);
            CheckWeights(networks, initial, truth, after, failures);
        }
        finally
        {
            foreach (var d in new[] { truth, authors, after, initial }) ReferenceData.DisposeAll(d);
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    /// <summary>Without aligned disentangling the encoder and discriminator gradients are those of the step with it (only the decoder's change).</summary>
    [TestMethod]
    public void StepWithoutAlignedDisentanglingIsWithinTwiceTheAuthorsFloat32Error()
    {
        using var networks = ReferenceData.InitialNetworks();
        var losses = Step(networks, alignedDisentangling: false);
        var failures = new List<string>();
        CheckLosses(losses, "losses_step1_no_adt", new[] { "loss_g_rec", "loss_g_cyc", "loss_g_ctr", "loss_g_adv", "loss_g_total", "loss_dis" }, failures);
        var truth = ReferenceData.Float64StateDict("grads_step1");
        var authors = ReferenceData.StateDict("grads_step1");
        try
        {
            CheckGradients(networks, truth, authors, truth.Keys.Where(k => !k.StartsWith("dec.", StringComparison.Ordinal)), failures);
        }
        finally
        {
            ReferenceData.DisposeAll(truth);
            ReferenceData.DisposeAll(authors);
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    private static AdGanStepLosses Step(AdGanNetworks networks, bool alignedDisentangling)
    {
        using var step = new AdGanTrainingStep(networks, new AdGanStepOptions { AlignedDisentangling = alignedDisentangling }, new Random(1));
        using var scope = NewDisposeScope();
        var losses = step.Step(ReferenceData.Array("x_a"), ReferenceData.Array("x_b"));
        Console.WriteLine(losses);
        return losses;
    }

    private static void CheckLosses(AdGanStepLosses losses, string group, string[] names, List<string> failures)
    {
        var truth = ReferenceData.Float64Manifest().GetProperty(group);
        var authors = ReferenceData.Manifest().GetProperty(group);
        foreach (var name in names)
        {
            var ours = name switch
            {
                "loss_g_rec" => losses.Reconstruction,
                "loss_g_cyc" => losses.Cycle,
                "loss_g_ctr" => losses.Content,
                "loss_g_adv" => losses.Adversarial,
                "loss_g_rest" => losses.GeneratorRest,
                "loss_g_total" => losses.GeneratorTotal,
                "loss_dis" => losses.Discriminator,
                _ => throw new ArgumentException(name),
            };
            var t = truth.GetProperty(name).GetDouble();
            var error = Math.Abs(ours - t) / Math.Abs(t);
            var theirs = Math.Abs(authors.GetProperty(name).GetDouble() - t) / Math.Abs(t);
            var bound = Math.Max(Margin * theirs, LossFloor);
            Console.WriteLine($"{name}: relative error against float64 {error:E2} (authors' float32 {theirs:E2}, bound {bound:E2})");
            if (!(error <= bound)) failures.Add($"{name}: {error:E2} > {bound:E2}");
        }
    }

    /// <summary>
    /// Each gradient within max(2 x the authors' float32 error, 1e-4) of float64 (relative L2); the biases before a
    /// normalisation must be numerical zeros, ours and the authors', below 1e-5 of their weight's gradient norm.
    /// </summary>
    private static void CheckGradients(AdGanNetworks networks, Dictionary<string, Tensor> truth, Dictionary<string, Tensor> authors,
        IEnumerable<string> names, List<string> failures)
    {
        var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        CollectionAssert.AreEquivalent(parameters.Keys.ToList(), truth.Keys.ToList(), "gradient names");
        double worstRatio = 0, worstError = 0;
        string worstRatioName = "", worstErrorName = "";
        foreach (var name in names.OrderBy(n => n, StringComparer.Ordinal))
        {
            var grad = parameters[name].grad;
            if (grad is null) { failures.Add($"{name}: no gradient"); continue; }
            Assert.AreEqual(ScalarType.Float32, grad.dtype, name);
            if (ReferenceData.IsBiasBeforeNormalization(name))
            {
                var weight = ReferenceData.WeightOf(name);
                var ours = ReferenceData.Norm(grad) / ReferenceData.Norm(parameters[weight].grad!);
                var theirs = ReferenceData.Norm(authors[name]) / ReferenceData.Norm(authors[weight]);
                Console.WriteLine($"{name}: ||g|| / ||g_weight|| ours {ours:E2}, authors' float32 {theirs:E2} (true value 0)");
                if (!(ours <= ZeroGradientTolerance && theirs <= ZeroGradientTolerance))
                    failures.Add($"{name}: ||g|| / ||g_weight|| ours {ours:E2}, authors {theirs:E2}, not both <= {ZeroGradientTolerance:E0}");
                continue;
            }
            var error = ReferenceData.RelativeL2(grad, truth[name]);
            var authorsError = ReferenceData.RelativeL2(authors[name], truth[name]);
            var bound = Math.Max(Margin * authorsError, GradientFloor);
            Console.WriteLine($"{name}: relative error against float64 {error:E2} (authors' float32 {authorsError:E2}, bound {bound:E2})");
            if (error / authorsError > worstRatio) { worstRatio = error / authorsError; worstRatioName = name; }
            if (error > worstError) { worstError = error; worstErrorName = name; }
            if (!(error <= bound)) failures.Add($"{name}: gradient relative error {error:E2} > {bound:E2}");
        }
        Console.WriteLine($"gradients: worst relative error {worstError:E2} at {worstErrorName}; worst ratio to the authors' float32 error {worstRatio:F2} at {worstRatioName}");
    }

    /// <summary>
    /// Adam's first step moves a weight by -lr f(g) with f(g) = g / (|g| + eps) and g the gradient plus weight decay, so
    /// our weights may differ from the float64 ones by lr |f(g) - f(g64)| (the gradient difference carried through the
    /// step), plus float32 rounding of the weight.
    /// </summary>
    private static void CheckWeights(AdGanNetworks networks, Dictionary<string, Tensor> initial, Dictionary<string, Tensor> truth,
        Dictionary<string, Tensor> after, List<string> failures)
    {
        var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double worst = 0;
        var worstName = "";
        foreach (var (name, expected) in after)
        {
            using var scope = NewDisposeScope();
            var decay = initial[name] * ReferenceData.WeightDecay;
            var ours = parameters[name].grad!.to_type(ScalarType.Float64) + decay;
            var exact = truth[name] + decay;
            var allowance = (ours / (ours.abs() + ReferenceData.AdamEpsilon) - exact / (exact.abs() + ReferenceData.AdamEpsilon)).abs() * ReferenceData.LearningRate;
            var rounding = expected.abs() * Math.Pow(2, -23) + 1e-10;
            var error = (parameters[name].detach().to_type(ScalarType.Float64) - expected).abs();
            var excess = (error - allowance - rounding).max().item<double>();
            var largest = error.max().item<double>();
            if (largest > worst) { worst = largest; worstName = name; }
            if (!(excess <= 0)) failures.Add($"{name}: a weight is {excess:E2} beyond what its gradient difference allows");
        }
        Console.WriteLine($"weights: largest difference from float64 {worst:E2} at {worstName}, each within its gradient allowance");
    }
}
