using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>Our float32 networks, loaded with the authors' init.pth, compute the reference's functions: within 1e-4 of its float64 results.</summary>
[TestClass]
[TestCategory("Fidelity")]
public sealed class ForwardFidelityTests
{
    private const double Tolerance = 1e-4;

    [TestInitialize]
    public void Setup() => ReferenceData.FixThreads();

    /// <summary>The ten generator passes of one training iteration (contents c_*, tanh images x_*), without gradients.</summary>
    internal static Dictionary<string, Tensor> TenPasses(AdGanNetworks networks, Tensor xA, Tensor xB)
    {
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
        return outputs;
    }

    /// <summary>Relative L2 errors of the ten passes, the segmentation logits and the discriminator output against the float64 run.</summary>
    internal static Dictionary<string, double> ErrorsAgainstFloat64(AdGanNetworks networks)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (xA64, xB64) = ReferenceData.Float64Inputs();
        var xA = xA64.to_type(ScalarType.Float32);
        var xB = xB64.to_type(ScalarType.Float32);
        var outputs = TenPasses(networks, xA, xB).ToDictionary(kv => "fwd_" + kv.Key, kv => kv.Value);
        outputs["seg_logits"] = networks.Segment(xA);
        outputs["dis_out"] = networks.Discriminator.call(cat(new[] { xA, xB }, 0), tensor(new long[] { 0, 0, 1, 1 }));
        return outputs.ToDictionary(kv => kv.Key, kv => ReferenceData.RelativeL2(kv.Value, ReferenceData.Float64Array(kv.Key)));
    }

    [TestMethod]
    public void Float32OutputsAreWithin1e4OfTheFloat64Reference()
    {
        using var networks = ReferenceData.InitialNetworks();
        var failures = new List<string>();
        foreach (var (name, error) in ErrorsAgainstFloat64(networks))
        {
            Console.WriteLine($"{name}: relative L2 error against float64 {error:E2}");
            if (!(error <= Tolerance)) failures.Add($"{name} {error:E2}");
        }
        Assert.IsEmpty(failures, string.Join(", ", failures));
    }

    [TestMethod]
    public void PrecomputedStylesGiveTheSameSegmentation()
    {
        using var networks = ReferenceData.InitialNetworks();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = ReferenceData.Array("x_a");
        var logits = networks.Segment(x);
        var precomputed = networks.Segment(x, networks.Encoder.Style(AdGanDomain.Image), networks.Decoder.Style(AdGanDomain.Mask));
        Assert.IsLessThanOrEqualTo(1e-6, ReferenceData.RelativeL2(precomputed, logits));
    }
}
