using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Networks;

/// <summary>Shapes, gradients and one training step of tiny 2D and 3D networks.</summary>
[TestClass]
public sealed class NetworkTests
{
    [TestInitialize]
    public void Setup() => torch.set_num_threads(1);

    private static AdGanNetworks Tiny(int dimensions, int ngf = 2) =>
        new(new AdGanNetworkOptions { BaseChannels = ngf, Dimensions = dimensions, StyleMlpWidth = 8, Seed = 3 });

    [TestMethod]
    public void ThreeDimensionalShapes()
    {
        using var nets = Tiny(3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = rand(new long[] { 1, 1, 16, 32, 32 }) * 2 - 1;
        var content = nets.Encoder.Encode(x, AdGanDomain.Image);
        CollectionAssert.AreEqual(new long[] { 1, 8, 4, 8, 8 }, content.shape);
        var image = nets.Decoder.Decode(content, AdGanDomain.Mask);
        CollectionAssert.AreEqual(new long[] { 1, 1, 16, 32, 32 }, image.shape);
        Assert.IsLessThanOrEqualTo(1f, image.abs().max().item<float>());
        CollectionAssert.AreEqual(new long[] { 1, 1, 16, 32, 32 }, nets.Segment(x).shape);
        var patches = nets.Discriminator.call(rand(new long[] { 2, 1, 24, 32, 32 }), tensor(new long[] { 0, 1 }));
        CollectionAssert.AreEqual(new long[] { 2, 1, 2, 2 }, patches.shape);
        Assert.ThrowsExactly<ArgumentException>(() => nets.Discriminator.call(x, tensor(new long[] { 0 })));
    }

    [TestMethod]
    public void StyleLengthsFollowTheAdaInLayers()
    {
        using var nets = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8 });
        Assert.AreEqual(624, nets.Encoder.StyleLength);
        Assert.AreEqual(560, nets.Decoder.StyleLength);
    }

    [TestMethod]
    public void ForwardDoesNotChangeTheModuleState()
    {
        using var nets = Tiny(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = rand(2, 1, 32, 32);
        var before = nets.state_dict().Keys.ToList();
        var first = nets.Segment(x);
        nets.Decoder.Decode(nets.Encoder.Encode(x, AdGanDomain.Mask), AdGanDomain.Image);
        var second = nets.Segment(x);
        Assert.AreEqual(0f, (first - second).abs().max().item<float>());
        CollectionAssert.AreEqual(before, nets.state_dict().Keys.ToList());
    }

    /// <summary>Guards the workaround in Convolution: float32 gradients of the whole networks agree with float64 ones.</summary>
    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void Float32GradientsAgreeWithFloat64(int dimensions)
    {
        using var nets = Tiny(dimensions, ngf: 4);
        using var scope = NewDisposeScope();
        var size = dimensions == 2 ? new long[] { 2, 1, 32, 32 } : new long[] { 1, 1, 24, 32, 32 };
        manual_seed(5);
        var x = rand(size, ScalarType.Float64) * 2 - 1;
        Dictionary<string, Tensor> Gradients(ScalarType type)
        {
            nets.to(type);
            nets.zero_grad();
            var input = x.to_type(type);
            var logits = nets.Segment(input);
            var labels = zeros(size[0], ScalarType.Int64);
            var loss = (logits.tanh() * input).mean() + nets.Discriminator.call(logits.tanh(), labels).square().mean();
            loss.backward();
            return nets.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.to_type(ScalarType.Float64));
        }
        var g64 = Gradients(ScalarType.Float64);
        var g32 = Gradients(ScalarType.Float32);
        nets.to(ScalarType.Float32);
        var failures = new List<string>();
        foreach (var (name, reference) in g64)
        {
            var diff = (g32[name] - reference).norm().item<double>();
            var bound = 1e-3 * reference.norm().item<double>() + 1e-5;
            if (!(diff <= bound)) failures.Add($"{name}: {diff:E2} > {bound:E2}");
        }
        Assert.IsEmpty(failures, string.Join("; ", failures));
    }

    [TestMethod]
    public void ThreeDimensionalTrainingStepRuns()
    {
        using var nets = Tiny(3);
        using var step = new AdGanTrainingStep(nets, new AdGanStepOptions { PoolSize = 1 }, new Random(4));
        using var scope = NewDisposeScope();
        var weightBefore = nets.Encoder.parameters().First().detach().clone();
        manual_seed(6);
        for (var i = 0; i < 2; i++)
        {
            var volume = new long[] { 1, 1, 24, 32, 32 };
            var losses = step.Step(rand(volume) * 2 - 1, rand(volume).gt(0.5).to_type(ScalarType.Float32) * 2 - 1);
            Assert.IsTrue(double.IsFinite(losses.GeneratorTotal) && double.IsFinite(losses.Discriminator), losses.ToString());
        }
        Assert.AreEqual(1, step.MaskTranslationPool.Count);
        Assert.IsGreaterThan(0f, (nets.Encoder.parameters().First() - weightBefore).abs().max().item<float>());
        step.SetLearningRate(1e-4);
        Assert.AreEqual(1e-4, step.GeneratorOptimizer.LearningRate, 1e-12);
    }
}
