using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>The first training iteration from init.pth reproduces the authors' losses, gradients and updated weights.</summary>
[TestClass]
public sealed class TrainingStepFidelityTests
{
    private const double LossTolerance = 1e-4;
    private const double LearningRate = 2e-4;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    [TestMethod]
    public void AlignedDisentanglingStepMatchesLossesGradientsAndWeights()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var step = new AdGanTrainingStep(networks, new AdGanStepOptions { AlignedDisentangling = true }, new Random(1));
        AdGanStepLosses losses;
        using (var inputs = NewDisposeScope())
            losses = step.Step(ReferenceData.Array("x_a"), ReferenceData.Array("x_b"));
        Console.WriteLine(losses);

        var expected = ReferenceData.Manifest().GetProperty("losses_step1");
        AssertLoss(expected, "loss_g_rec", losses.Reconstruction);
        AssertLoss(expected, "loss_g_cyc", losses.Cycle);
        AssertLoss(expected, "loss_g_ctr", losses.Content);
        AssertLoss(expected, "loss_g_adv", losses.Adversarial);
        AssertLoss(expected, "loss_g_rest", losses.GeneratorRest);
        AssertLoss(expected, "loss_dis", losses.Discriminator);

        AssertGradients(networks, ReferenceData.File("grads_step1.pth"));
        AssertWeights(networks, ReferenceData.File("step1.pth"));
    }

    [TestMethod]
    public void StepWithoutAlignedDisentanglingMatchesLossesAndWeights()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var step = new AdGanTrainingStep(networks, new AdGanStepOptions { AlignedDisentangling = false }, new Random(1));
        AdGanStepLosses losses;
        using (var inputs = NewDisposeScope())
            losses = step.Step(ReferenceData.Array("x_a"), ReferenceData.Array("x_b"));
        Console.WriteLine(losses);

        var expected = ReferenceData.Manifest().GetProperty("losses_step1_no_adt");
        AssertLoss(expected, "loss_g_rec", losses.Reconstruction);
        AssertLoss(expected, "loss_g_cyc", losses.Cycle);
        AssertLoss(expected, "loss_g_ctr", losses.Content);
        AssertLoss(expected, "loss_g_adv", losses.Adversarial);
        AssertLoss(expected, "loss_g_total", losses.GeneratorTotal);
        AssertLoss(expected, "loss_dis", losses.Discriminator);

        AssertWeights(networks, ReferenceData.File("step1_no_adt.pth"));
    }

    private static void AssertLoss(JsonElement expected, string name, double actual)
    {
        var reference = expected.GetProperty(name).GetDouble();
        var error = Math.Abs(actual - reference) / Math.Abs(reference);
        Console.WriteLine($"{name}: ours {actual:R}, reference {reference:R}, relative error {error:E2}");
        Assert.IsLessThanOrEqualTo(LossTolerance, error, $"{name}: ours {actual}, reference {reference}");
    }

    /// <summary>
    /// A conv bias followed by an instance norm / AdaIN cannot change the output: its true gradient is exactly 0 and both
    /// float32 implementations return rounding noise (the reference's reaches 1.2e-5 for enc.main.1.bias). Every conv bias
    /// is one, except the decoder's last conv and the discriminator's first and last.
    /// </summary>
    private static bool IsBiasBeforeNormalization(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains(".mlp.", StringComparison.Ordinal) &&
        name is not ("dec.main.11.bias" or "dis.main.0.bias" or "dis.main.11.bias");

    /// <summary>
    /// Every gradient tensor: ||g - g_ref|| &lt;= 1e-3 ||g_ref|| + 1e-7. None skipped: for the biases before a normalisation
    /// (true gradient 0) both ours and the reference's must be numerical zeros, at most 1e-5 of their weight's gradient norm.
    /// </summary>
    private static void AssertGradients(AdGanNetworks networks, string path)
    {
        var reference = PyTorchCheckpointImporter.ReadFlat(path);
        try
        {
            var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            CollectionAssert.AreEquivalent(parameters.Keys.ToList(), reference.Keys.ToList(), "gradient names");
            var failures = new List<string>();
            var worst = 0.0;
            var worstName = "";
            foreach (var (name, expected) in reference)
            {
                using var scope = NewDisposeScope();
                var grad = parameters[name].grad;
                if (grad is null) { failures.Add($"{name}: no gradient"); continue; }
                var g = grad.to_type(ScalarType.Float64);
                var e = expected.to_type(ScalarType.Float64);
                var diff = (g - e).norm().item<double>();
                var bound = 1e-3 * e.norm().item<double>() + 1e-7;
                var ratio = diff / bound;
                if (ratio > worst) { worst = ratio; worstName = name; }
                if (IsBiasBeforeNormalization(name))
                {
                    var weightName = name[..^"bias".Length] + "weight";
                    var scale = 1e-5 * reference[weightName].norm().item<float>();
                    var ours = g.norm().item<double>();
                    var theirs = e.norm().item<double>();
                    if (!(ours <= scale && theirs <= scale)) failures.Add($"{name}: ||g|| {ours:E2}, ||g_ref|| {theirs:E2} not both <= {scale:E2}");
                    continue;
                }
                if (!(diff <= bound)) failures.Add($"{name}: ||g - g_ref|| {diff:E2} > {bound:E2}");
            }
            Console.WriteLine($"gradients: {reference.Count} tensors; worst ||g - g_ref|| / (1e-3 ||g_ref|| + 1e-7) = {worst:F3} at {worstName} (all tensors); see IsBiasBeforeNormalization");
            worst = 0;
            foreach (var (name, expected) in reference.Where(kv => !IsBiasBeforeNormalization(kv.Key)))
            {
                using var scope = NewDisposeScope();
                var rel = (parameters[name].grad!.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).norm().item<double>() / expected.norm().item<float>();
                worst = Math.Max(worst, rel);
            }
            Console.WriteLine($"gradients: worst relative error ||g - g_ref|| / ||g_ref|| outside pre-normalisation biases {worst:E2}");
            Assert.IsEmpty(failures, string.Join("; ", failures));
        }
        finally
        {
            foreach (var t in reference.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Weights within 2 lr + 1e-6 for all elements, and within 1e-6 for at least 99.9% of the elements outside the biases
    /// before a normalisation (Adam's first step moves those by lr x noise / (|noise| + eps), a different value on each side).
    /// </summary>
    private static void AssertWeights(AdGanNetworks networks, string path)
    {
        var reference = PyTorchCheckpointImporter.ReadFlat(path);
        try
        {
            var parameters = networks.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            CollectionAssert.AreEquivalent(parameters.Keys.ToList(), reference.Keys.ToList(), "weight names");
            long total = 0, close = 0, totalOutside = 0, closeOutside = 0;
            var maxError = 0.0;
            var maxName = "";
            foreach (var (name, expected) in reference)
            {
                using var scope = NewDisposeScope();
                var error = (parameters[name].detach().to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs();
                total += error.numel();
                var closeHere = error.le(1e-6).sum().item<long>();
                close += closeHere;
                if (!IsBiasBeforeNormalization(name)) { totalOutside += error.numel(); closeOutside += closeHere; }
                var max = error.max().item<double>();
                if (max > maxError) { maxError = max; maxName = name; }
            }
            var fraction = (double)closeOutside / totalOutside;
            Console.WriteLine($"weights: {total} elements, {(double)close / total:P4} within 1e-6 ({fraction:P4} outside pre-normalisation biases), max error {maxError:E2} at {maxName}");
            Assert.IsGreaterThanOrEqualTo(0.999, fraction, $"only {fraction:P4} of the weights within 1e-6");
            Assert.IsLessThanOrEqualTo(2 * LearningRate + 1e-6, maxError, $"max error {maxError} at {maxName}");
        }
        finally
        {
            foreach (var t in reference.Values) t.Dispose();
        }
    }
}
