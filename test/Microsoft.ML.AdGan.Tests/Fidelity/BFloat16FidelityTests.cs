using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>
/// The bfloat16 mixed-precision path against the float64 truth: forward outputs and losses only (its gradients of this
/// ill-conditioned step carry no information: float32's are already 6e-3 off). bfloat16 keeps 8 significant bits.
/// </summary>
[TestClass]
[TestCategory("Fidelity")]
[TestCategory("BFloat16")]
public sealed class BFloat16FidelityTests
{
    /// <summary>Outputs of one encoder or decoder pass (and the discriminator's), relative L2 against float64 (about 1e-2 observed).</summary>
    private const double OnePassTolerance = 2.5e-2;

    /// <summary>Outputs that went through the encoder and the decoder twice (c_*_recon, x_aba, x_bab; about 3.7e-2 observed).</summary>
    private const double TwoPassTolerance = 7.5e-2;

    /// <summary>Losses of one step, relative against float64 (up to 3e-3 observed).</summary>
    private const double LossTolerance = 1e-2;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    [TestMethod]
    public void MixedOutputsAreWithinTheBFloat16BoundOfFloat64()
    {
        using var networks = ReferenceData.InitialNetworks();
        networks.ComputePrecision = ComputePrecision.BFloat16Mixed;
        var failures = new List<string>();
        foreach (var (name, error) in ForwardFidelityTests.ErrorsAgainstFloat64(networks))
        {
            var bound = name is "fwd_c_a_recon" or "fwd_c_b_recon" or "fwd_x_aba" or "fwd_x_bab" ? TwoPassTolerance : OnePassTolerance;
            Console.WriteLine($"{name}: relative L2 error against float64 {error:E2} (bound {bound:E1})");
            if (!(error <= bound)) failures.Add($"{name} {error:E2} > {bound:E1}");
        }
        Assert.IsEmpty(failures, string.Join(", ", failures));
    }

    [TestMethod]
    public void MixedStepLossesAreWithinTheBFloat16BoundOfFloat64()
    {
        using var networks = ReferenceData.InitialNetworks();
        networks.ComputePrecision = ComputePrecision.BFloat16Mixed;
        using var step = new AdGanTrainingStep(networks, new AdGanStepOptions { AlignedDisentangling = true }, new Random(1));
        AdGanStepLosses losses;
        using (NewDisposeScope())
            losses = step.Step(ReferenceData.Array("x_a"), ReferenceData.Array("x_b"));
        var truth = ReferenceData.Float64Manifest().GetProperty("losses_step1");
        var failures = new List<string>();
        foreach (var (name, ours) in new[]
                 {
                     ("loss_g_rec", losses.Reconstruction), ("loss_g_cyc", losses.Cycle), ("loss_g_ctr", losses.Content),
                     ("loss_g_adv", losses.Adversarial), ("loss_g_rest", losses.GeneratorRest), ("loss_dis", losses.Discriminator),
                 })
        {
            var t = truth.GetProperty(name).GetDouble();
            var error = Math.Abs(ours - t) / Math.Abs(t);
            Console.WriteLine($"{name}: relative error against float64 {error:E2}");
            if (!(error <= LossTolerance)) failures.Add($"{name} {error:E2}");
        }
        Assert.IsEmpty(failures, string.Join(", ", failures));
    }
}
