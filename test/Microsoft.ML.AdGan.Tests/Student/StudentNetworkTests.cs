using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Student;

[TestClass]
public sealed class StudentNetworkTests
{
    [TestMethod]
    public void OutputHasTheInputSizeForAnySizeAndSegmentLiesInMinusOneToOne()
    {
        using var student = new StudentNetwork(new StudentNetworkOptions { BaseChannels = 2, Depth = 2 }, seed: 3);
        using var noGrad = no_grad();
        foreach (var (h, w) in new[] { (16, 16), (37, 50), (5, 9) })
        {
            using var x = rand(new long[] { 2, 1, h, w }, generator: new Generator(7)).mul_(2).sub_(1);
            using var logits = student.call(x);
            CollectionAssert.AreEqual(new long[] { 2, 1, h, w }, logits.shape);
            using var map = student.Segment(x);
            var values = map.data<float>().ToArray();
            Assert.IsTrue(values.All(v => v >= -1 && v <= 1), "tanh range");
            Assert.IsGreaterThan(1, values.Distinct().Count(), "the map is not constant");
        }
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameWeightsAndAnotherSeedOthers()
    {
        static float[] Weights(StudentNetwork n) => n.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var options = new StudentNetworkOptions { BaseChannels = 2, Depth = 1 };
        using var a = new StudentNetwork(options, seed: 4);
        using var b = new StudentNetwork(options, seed: 4);
        using var c = new StudentNetwork(options, seed: 5);
        CollectionAssert.AreEqual(Weights(a), Weights(b));
        CollectionAssert.AreNotEqual(Weights(a), Weights(c));
    }

    [TestMethod]
    public void TheStateDictNamesTheLevels()
    {
        using var student = new StudentNetwork(new StudentNetworkOptions { BaseChannels = 2, Depth = 2 });
        var names = student.state_dict().Keys.ToList();
        CollectionAssert.Contains(names, "enc.0.weight");
        CollectionAssert.Contains(names, "enc.5.bias");
        CollectionAssert.Contains(names, "lateral.1.weight");
        CollectionAssert.Contains(names, "dec.0.weight");
        CollectionAssert.Contains(names, "head.weight");
        Assert.HasCount(2 * (6 + 2 + 2 + 1), names);
    }

    [TestMethod]
    public void MultiplyAddsAreCountedLayerByLayer()
    {
        // Encoder 648 + 3 x 864, decoder 3 x 576, laterals 3 x 32, head 8 (see StudentNetwork); the generator 98 ngf + 162 ngf^2.
        using var student = new StudentNetwork();
        Assert.AreEqual(5072, MultiplyAdds.PerInputPixel(student), 1e-9);
        using var generator = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 16 });
        Assert.AreEqual(98 * 16 + 162 * 16 * 16, GeneratorCost.MultiplyAddsPerInputPixel(generator), 1e-9);
    }

    [TestMethod]
    public void BadOptionsNameTheOption()
    {
        Assert.AreEqual("Depth", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new StudentNetworkOptions { Depth = 0 }.Validate()).ParamName);
        Assert.AreEqual("BaseChannels", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new StudentNetworkOptions { BaseChannels = 0 }.Validate()).ParamName);
        using var student = new StudentNetwork(new StudentNetworkOptions { BaseChannels = 2, Depth = 1 });
        using var wrong = zeros(1, 2, 8, 8);
        Assert.ThrowsExactly<ArgumentException>(() => student.call(wrong));
    }
}
