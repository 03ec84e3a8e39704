using Microsoft.ML.AdGan.Tests.Persistence;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// Seeded CPU training with a fixed number of threads repeats itself bit for bit: the same losses, the same weights of
/// all three networks and the same decoded map. Run under each CPU capability setting (see .ci/run); results under
/// different settings need not equal each other.
/// </summary>
[TestClass]
[TestCategory("Determinism")]
public sealed class TrainingDeterminismTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void SeededTrainingRepeatsItselfBitForBit(int threads)
    {
        var first = Train(threads);
        var second = Train(threads);
        Assert.HasCount(first.Losses.Count, second.Losses);
        for (var i = 0; i < first.Losses.Count; i++)
            CollectionAssert.AreEqual(first.Losses[i], second.Losses[i], $"losses of record {i}");
        CollectionAssert.AreEquivalent(first.Weights.Keys.ToList(), second.Weights.Keys.ToList());
        foreach (var (name, values) in first.Weights)
        {
            Assert.IsTrue(values.All(float.IsFinite), name);
            CollectionAssert.AreEqual(values, second.Weights[name], name);
        }
        CollectionAssert.AreEqual(first.Map, second.Map, "decoded map");
    }

    private static (List<double[]> Losses, Dictionary<string, float[]> Weights, float[] Map) Train(int threads)
    {
        var previous = torch.get_num_threads();
        try
        {
            var options = TinyTraining.Options<AdGanTrainerOptions>(iterations: 2, decay: 1);
            options.BaseChannels = 4;
            options.Threads = threads;
            using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
            using var model = trainer.Train();
            var weights = trainer.Networks.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().data<float>().ToArray());
            return (trainer.LossHistory.Select(r => (double[])r.Clone()).ToList(), weights, model.Decode(AdGanModelSerializerTests.TestImage(40, 52)).Data.ToArray());
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }
}
