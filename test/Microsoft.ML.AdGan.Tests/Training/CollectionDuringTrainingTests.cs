using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>
/// Garbage collections while training must not change the result. TorchSharp 0.107 converts numbers to temporary
/// native Scalars that nothing keeps alive during the native call, so a collection at that moment lets the finaliser
/// thread free a Scalar libtorch is still reading (issue 3: weights turned NaN after a collection).
/// </summary>
[TestClass]
public sealed class CollectionDuringTrainingTests
{
    private const int Steps = 6;

    /// <summary>Full collections after every step (their finalisers run into the next step) leave the weights bit for bit as a run without them.</summary>
    [TestMethod]
    public void ForcedCollectionsBetweenStepsLeaveWeightsUnchanged()
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            var quiet = Train(collect: false);
            var collected = Train(collect: true);
            Assert.HasCount(quiet.Count, collected);
            foreach (var (name, expected) in quiet)
            {
                var actual = collected[name];
                Assert.IsTrue(actual.All(float.IsFinite), $"{name} has non-finite values after training with collections.");
                CollectionAssert.AreEqual(expected, actual, $"{name} differs between the runs with and without collections.");
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static Dictionary<string, float[]> Train(bool collect)
    {
        using var nets = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8, StyleMlpWidth = 16, Seed = 3 });
        using var step = new AdGanTrainingStep(nets, new AdGanStepOptions { PoolSize = 2 }, new Random(4));
        using var generator = new Generator(7);
        for (var i = 0; i < Steps; i++)
        {
            using (NewDisposeScope())
            {
                var xA = rand(new long[] { 2, 1, 32, 32 }, generator: generator) * 2 - 1;
                var xB = rand(new long[] { 2, 1, 32, 32 }, generator: generator).gt(0.5).to_type(ScalarType.Float32) * 2 - 1;
                step.Step(xA, xB);
            }
            if (collect)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
        }
        return nets.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());
    }
}
