using Microsoft.ML.AdGan.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Networks;

[TestClass]
public sealed class BandedGeneratorTests
{
    /// <summary>
    /// The banded forward computes the layer-by-layer forward: bands of 3 rows (many bands, each needing rows of its
    /// neighbours and the reflected borders), of 16, and one band for the whole image; odd and even sides.
    /// </summary>
    [TestMethod]
    [DataRow(36, 52, 3)]
    [DataRow(36, 52, 16)]
    [DataRow(40, 24, 0)]
    [DataRow(29, 33, 5)]
    public void BandsComputeWhatTheLayersCompute(int height, int width, int bandRows)
    {
        using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 4, StyleMlpWidth = 8, Seed = 3 });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(new long[] { 1, 1, height, width }, generator: new Generator(11)).mul(2).add(0.5);
        var encoderStyle = networks.Encoder.Style(AdGanDomain.Image);
        var decoderStyle = networks.Decoder.Style(AdGanDomain.Mask);
        Assert.IsTrue(BandedGenerator.Supports(networks, x));
        var layers = networks.Decoder.Forward(networks.Encoder.Forward(x, encoderStyle, null), decoderStyle, null);
        var bands = BandedGenerator.Segment(networks, x, encoderStyle, decoderStyle, bandRows);
        CollectionAssert.AreEqual(layers.shape, bands.shape);
        double difference = (layers - bands).abs().max().item<float>();
        double size = layers.abs().max().item<float>();
        Assert.IsLessThan(1e-4 * Math.Max(1, size), difference, $"max |banded - layers| (max |layers| = {size})");
    }

    /// <summary>Training (gradients), a batch, bfloat16 convolutions and volumes take the layer-by-layer forward.</summary>
    [TestMethod]
    public void OnlyOneFloat32ImageAtInferenceIsBanded()
    {
        using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 4, StyleMlpWidth = 8 });
        using var scope = NewDisposeScope();
        var image = zeros(1, 1, 16, 16);
        Assert.IsFalse(BandedGenerator.Supports(networks, image), "gradients enabled");
        using (no_grad())
        {
            Assert.IsFalse(BandedGenerator.Supports(networks, zeros(2, 1, 16, 16)), "a batch");
            Assert.IsFalse(BandedGenerator.Supports(networks, zeros(new long[] { 1, 1, 16, 16 }, ScalarType.Float64)), "float64");
            networks.ComputePrecision = ComputePrecision.BFloat16Mixed;
            Assert.IsFalse(BandedGenerator.Supports(networks, image), "bfloat16 convolutions");
            networks.ComputePrecision = ComputePrecision.Float32;
            Assert.IsTrue(BandedGenerator.Supports(networks, image));
        }
        using var volumes = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 4, StyleMlpWidth = 8, Dimensions = 3 });
        using (no_grad())
            Assert.IsFalse(BandedGenerator.Supports(volumes, zeros(new long[] { 1, 1, 8, 16, 16 })), "a volume");
    }
}
