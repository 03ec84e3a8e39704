using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>
/// Our networks and training step, computed in float64 from init.pth, reproduce the authors' code run in float64
/// (TestData/adgan-ngf8-f64). Rounding no longer hides anything there: a wrong formula, layer or wiring shows as an
/// error many orders of magnitude above the bounds.
/// </summary>
[TestClass]
[TestCategory("Fidelity")]
public sealed class Float64StepFidelityTests
{
    /// <summary>Forward outputs and losses.</summary>
    private const double OutputTolerance = 1e-10;

    /// <summary>Every gradient tensor, relative L2.</summary>
    private const double GradientTolerance = 1e-8;

    /// <summary>A bias before a normalisation: its gradient norm against its weight's (the true value is 0).</summary>
    private const double ZeroGradientTolerance = 1e-12;

    /// <summary>Every parameter after the step, absolute, outside the elements where Adam amplifies gradient noise.</summary>
    private const double WeightTolerance = 1e-9;

    /// <summary>|g + wd w| below this: Adam's first step amplifies a gradient difference d to up to lr d / eps.</summary>
    private const double AmplifiedGradient = 1e-6;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    /// <summary>
    /// The forward arrays of the float64 run are stored rounded to float32, so the strongest check is that our float64
    /// values round to them: every element within half a float32 unit in the last place (at most 2^-24 relative).
    /// The losses, stored in float64, check the same passes to 1e-10 in the step tests.
    /// </summary>
    [TestMethod]
    public void ForwardOutputsRoundToTheStoredReference()
    {
        using var networks = ReferenceData.InitialNetworks(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (xA, xB) = ReferenceData.Float64Inputs();
        var outputs = ForwardFidelityTests.TenPasses(networks, xA, xB);
        outputs["seg_logits"] = networks.Segment(xA);
        outputs["dis_out"] = networks.Discriminator.call(cat(new[] { xA, xB }, 0), tensor(new long[] { 0, 0, 1, 1 }));
        var failures = new List<string>();
        foreach (var (name, actual) in outputs)
        {
            Assert.AreEqual(ScalarType.Float64, actual.dtype, name);
            var file = name is "seg_logits" or "dis_out" ? name : "fwd_" + name;
            var expected = ReferenceData.Float64Array(file);
            var excess = ((actual - expected).abs() - expected.abs() * Math.Pow(2, -24)).max().item<double>();
            var error = ReferenceData.RelativeL2(actual, expected);
            Console.WriteLine($"{file}: relative L2 error {error:E2} (float32 storage); largest excess over half a float32 ulp {excess:E2}");
            if (!(excess <= 0)) failures.Add($"{file}: an element is {excess:E2} beyond the float32 rounding of the reference");
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    [TestMethod]
    public void AlignedDisentanglingStepMatchesLossesGradientsAndWeights()
    {
        using var networks = ReferenceData.InitialNetworks(ScalarType.Float64);
        var initial = Snapshot(networks);
        var losses = Step(networks, alignedDisentangling: true);
        var expected = ReferenceData.Float64Manifest().GetProperty("losses_step1");
        var failures = new List<string>();
        CheckLoss(expected, "loss_g_rec", losses.Reconstruction, failures);
        CheckLoss(expected, "loss_g_cyc", losses.Cycle, failures);
        CheckLoss(expected, "loss_g_ctr", losses.Content, failures);
        CheckLoss(expected, "loss_g_adv", losses.Adversarial, failures);
        CheckLoss(expected, "loss_g_rest", losses.GeneratorRest, failures);
        CheckLoss(expected, "loss_dis", losses.Discriminator, failures);
        var gradients = ReferenceData.Float64StateDict("grads_step1");
        try
        {
            CheckGradients(networks, gradients, gradients.Keys, failures);
            CheckWeights(networks, initial, gradients, ReferenceData.Float64StateDict("step1"), failures);
        }
        finally
        {
            ReferenceData.DisposeAll(gradients);
            ReferenceData.DisposeAll(initial);
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    /// <summary>
    /// Without aligned disentangling only the decoder's gradients change (they take every loss, not only the
    /// reconstruction): the encoder and discriminator gradients are those of the step with it, and are checked against them.
    /// </summary>
    [TestMethod]
    public void StepWithoutAlignedDisentanglingMatchesLossesGradientsAndWeights()
    {
        using var networks = ReferenceData.InitialNetworks(ScalarType.Float64);
        var initial = Snapshot(networks);
        var losses = Step(networks, alignedDisentangling: false);
        var expected = ReferenceData.Float64Manifest().GetProperty("losses_step1_no_adt");
        var failures = new List<string>();
        CheckLoss(expected, "loss_g_rec", losses.Reconstruction, failures);
        CheckLoss(expected, "loss_g_cyc", losses.Cycle, failures);
        CheckLoss(expected, "loss_g_ctr", losses.Content, failures);
        CheckLoss(expected, "loss_g_adv", losses.Adversarial, failures);
        CheckLoss(expected, "loss_g_total", losses.GeneratorTotal, failures);
        CheckLoss(expected, "loss_dis", losses.Discriminator, failures);
        var gradients = ReferenceData.Float64StateDict("grads_step1");
        try
        {
            var shared = gradients.Keys.Where(k => !k.StartsWith("dec.", StringComparison.Ordinal)).ToList();
            CheckGradients(networks, gradients, shared, failures);
            var known = gradients.Where(kv => shared.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
            CheckWeights(networks, initial, known, ReferenceData.Float64StateDict("step1_no_adt"), failures);
        }
        finally
        {
            ReferenceData.DisposeAll(gradients);
            ReferenceData.DisposeAll(initial);
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    private static AdGanStepLosses Step(AdGanNetworks networks, bool alignedDisentangling)
    {
        using var step = new AdGanTrainingStep(networks, new AdGanStepOptions { AlignedDisentangling = alignedDisentangling }, new Random(1));
        Assert.AreEqual(ReferenceData.LearningRate, step.Options.LearningRate);
        Assert.AreEqual(ReferenceData.WeightDecay, step.Options.WeightDecay);
        using var scope = NewDisposeScope();
        var (xA, xB) = ReferenceData.Float64Inputs();
        var losses = step.Step(xA, xB);
        Console.WriteLine(losses);
        return losses;
    }

    private static Dictionary<string, Tensor> Snapshot(AdGanNetworks networks) =>
        networks.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());

    private static void CheckLoss(JsonElement expected, string name, double actual, List<string> failures)
    {
        var reference = expected.GetProperty(name).GetDouble();
        var error = Math.Abs(actual - reference) / Math.Abs(reference);
        Console.WriteLine($"{name}: ours {actual:R}, reference {reference:R}, relative error {error:E2}");
        if (!(error <= OutputTolerance)) failures.Add($"{name}: relative error {error:E2} > {OutputTolerance:E0}");
    }

    /// <summary>Every listed gradient within 1e-8 relative, except the biases before a normalisation, which must be numerical zeros on both sides.</summary>
    private static void CheckGradients(AdGanNetworks networks, Dictionary<string, Tensor> reference, IEnumerable<string> names, List<string> failures)
    {
        var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        CollectionAssert.AreEquivalent(parameters.Keys.ToList(), reference.Keys.ToList(), "gradient names");
        double worst = 0, worstZero = 0;
        string worstName = "", worstZeroName = "";
        int zeros = 0, checkedTensors = 0;
        foreach (var name in names)
        {
            var grad = parameters[name].grad;
            if (grad is null) { failures.Add($"{name}: no gradient"); continue; }
            Assert.AreEqual(ScalarType.Float64, grad.dtype, name);
            checkedTensors++;
            if (ReferenceData.IsBiasBeforeNormalization(name))
            {
                zeros++;
                var weight = ReferenceData.WeightOf(name);
                var ours = ReferenceData.Norm(grad) / ReferenceData.Norm(parameters[weight].grad!);
                var theirs = ReferenceData.Norm(reference[name]) / ReferenceData.Norm(reference[weight]);
                if (Math.Max(ours, theirs) > worstZero) { worstZero = Math.Max(ours, theirs); worstZeroName = name; }
                if (!(ours <= ZeroGradientTolerance && theirs <= ZeroGradientTolerance))
                    failures.Add($"{name}: ||g|| / ||g_weight|| ours {ours:E2}, reference {theirs:E2}, not both <= {ZeroGradientTolerance:E0}");
                continue;
            }
            var error = ReferenceData.RelativeL2(grad, reference[name]);
            if (error > worst) { worst = error; worstName = name; }
            if (!(error <= GradientTolerance)) failures.Add($"{name}: gradient relative error {error:E2} > {GradientTolerance:E0}");
        }
        Console.WriteLine($"gradients: {checkedTensors} tensors; worst relative error {worst:E2} at {worstName}; " +
                          $"{zeros} biases before a normalisation, largest ||g|| / ||g_weight|| {worstZero:E2} at {worstZeroName}");
    }

    /// <summary>
    /// Every parameter within 1e-9 of the reference after the step, except where Adam's first step amplifies noise:
    /// it moves a weight by lr g / (|g| + eps) with g the gradient plus weight decay, so for the biases before a
    /// normalisation and any element with |g| &lt; 1e-6 a gradient difference d allows lr d / eps more. The allowance
    /// needs the reference's gradient; elements without one (the decoder without aligned disentangling) get none.
    /// </summary>
    private static void CheckWeights(AdGanNetworks networks, Dictionary<string, Tensor> initial, Dictionary<string, Tensor> gradients,
        Dictionary<string, Tensor> reference, List<string> failures)
    {
        try
        {
            var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            CollectionAssert.AreEquivalent(parameters.Keys.ToList(), reference.Keys.ToList(), "weight names");
            double worst = 0, worstAmplified = 0;
            string worstName = "", worstAmplifiedName = "";
            long amplified = 0, total = 0;
            foreach (var (name, expected) in reference)
            {
                using var scope = NewDisposeScope();
                var actual = parameters[name].detach();
                Assert.AreEqual(ScalarType.Float64, actual.dtype, name);
                var error = (actual - expected).abs();
                var allowance = zeros_like(error);
                var mask = zeros_like(error, ScalarType.Bool);
                if (gradients.TryGetValue(name, out var referenceGradient))
                {
                    var decay = initial[name] * ReferenceData.WeightDecay;
                    var theirs = referenceGradient + decay;
                    var ours = parameters[name].grad! + decay;
                    mask = ReferenceData.IsBiasBeforeNormalization(name) ? ones_like(error, ScalarType.Bool) : theirs.abs().lt(AmplifiedGradient);
                    allowance = (ours - theirs).abs() * (ReferenceData.LearningRate / ReferenceData.AdamEpsilon) * mask.to_type(ScalarType.Float64);
                }
                total += error.numel();
                amplified += mask.sum().item<long>();
                var excess = (error - allowance).max().item<double>();
                var plain = error.masked_fill(mask, 0.0).max().item<double>();
                var inAmplified = error.masked_fill(mask.logical_not(), 0.0).max().item<double>();
                if (plain > worst) { worst = plain; worstName = name; }
                if (inAmplified > worstAmplified) { worstAmplified = inAmplified; worstAmplifiedName = name; }
                if (!(excess <= WeightTolerance)) failures.Add($"{name}: a weight is {excess:E2} beyond its bound (1e-9 + allowance)");
            }
            Console.WriteLine($"weights: {total} elements; largest error {worst:E2} at {worstName}; {amplified} amplified elements, largest error there {worstAmplified:E2} at {worstAmplifiedName}");
        }
        finally
        {
            ReferenceData.DisposeAll(reference);
        }
    }
}
