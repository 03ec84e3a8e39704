using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>Our networks, loaded with the authors' init.pth, compute the same functions as their code.</summary>
[TestClass]
public sealed class ForwardFidelityTests
{
    private const double Tolerance = 1e-4;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    [TestMethod]
    public void TenGeneratorPassesMatchTheReference()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var xA = ReferenceData.Array("x_a");
        var xB = ReferenceData.Array("x_b");
        var enc = networks.Encoder;
        var dec = networks.Decoder;
        var outputs = new Dictionary<string, Tensor>();
        outputs["c_a"] = enc.Encode(xA, AdGanDomain.Image);
        outputs["c_b"] = enc.Encode(xB, AdGanDomain.Mask);
        outputs["x_a_recon"] = dec.Decode(outputs["c_a"], AdGanDomain.Image);
        outputs["x_b_recon"] = dec.Decode(outputs["c_b"], AdGanDomain.Mask);
        outputs["x_ab"] = dec.Decode(outputs["c_a"], AdGanDomain.Mask);
        outputs["x_ba"] = dec.Decode(outputs["c_b"], AdGanDomain.Image);
        outputs["c_a_recon"] = enc.Encode(outputs["x_ab"], AdGanDomain.Mask);
        outputs["c_b_recon"] = enc.Encode(outputs["x_ba"], AdGanDomain.Image);
        outputs["x_aba"] = dec.Decode(outputs["c_a_recon"], AdGanDomain.Image);
        outputs["x_bab"] = dec.Decode(outputs["c_b_recon"], AdGanDomain.Mask);
        var failures = new List<string>();
        foreach (var (name, actual) in outputs)
        {
            var error = ReferenceData.RelativeL2(actual, ReferenceData.Array("fwd_" + name));
            Console.WriteLine($"fwd_{name}: relative L2 error {error:E2}");
            if (!(error <= Tolerance)) failures.Add($"{name} {error:E2}");
        }
        Assert.IsEmpty(failures, string.Join(", ", failures));
    }

    [TestMethod]
    public void SegmentationLogitsMatchTheReference()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = networks.Segment(ReferenceData.Array("x_a"));
        var error = ReferenceData.RelativeL2(logits, ReferenceData.Array("seg_logits"));
        Console.WriteLine($"seg_logits: relative L2 error {error:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, error);

        var precomputed = networks.Segment(ReferenceData.Array("x_a"), networks.Encoder.Style(AdGanDomain.Image), networks.Decoder.Style(AdGanDomain.Mask));
        Assert.IsLessThanOrEqualTo(1e-6, ReferenceData.RelativeL2(precomputed, logits));
    }

    [TestMethod]
    public void DiscriminatorOutputMatchesTheReference()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = cat(new[] { ReferenceData.Array("x_a"), ReferenceData.Array("x_b") }, 0);
        var labels = tensor(new long[] { 0, 0, 1, 1 });
        var output = networks.Discriminator.call(x, labels);
        var error = ReferenceData.RelativeL2(output, ReferenceData.Array("dis_out"));
        Console.WriteLine($"dis_out: relative L2 error {error:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, error);
    }
}
