using Microsoft.ML.AdGan.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// Our Adam computes what TorchSharp's <c>torch.optim.Adam</c> computes, bit for bit, and reads and writes the same saved
/// state, so training checkpoints written with TorchSharp's optimiser keep resuming.
/// </summary>
[TestClass]
public sealed class AdamOptimizerTests
{
    private const double LearningRate = 2e-3;
    private const double Beta1 = 0.5;
    private const double Beta2 = 0.99;
    private const double WeightDecay = 1e-2;

    [TestMethod]
    public void StepsEqualTorchSharpsAdamBitForBit()
    {
        var (ours, oursOptimizer) = Start();
        var (theirs, theirsOptimizer) = StartTorchSharp();
        using (oursOptimizer)
        using (theirsOptimizer)
        {
            for (var step = 0; step < 4; step++)
            {
                SetGradients(ours, step);
                SetGradients(theirs, step);
                oursOptimizer.Step();
                theirsOptimizer.step();
                AssertEqual(ours, theirs, $"step {step + 1}");
            }
        }
    }

    [TestMethod]
    public void SavedStateMovesBothWaysBetweenTorchSharpsAdamAndOurs()
    {
        var (ours, oursOptimizer) = Start();
        var (theirs, theirsOptimizer) = StartTorchSharp();
        using (oursOptimizer)
        using (theirsOptimizer)
        {
            SetGradients(theirs, 0);
            theirsOptimizer.step();
            var saved = new MemoryStream();
            using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
                theirsOptimizer.save_state_dict(writer);
            CopyValues(theirs, ours);
            saved.Position = 0;
            using (var reader = new BinaryReader(saved))
                oursOptimizer.Load(reader);
            Assert.AreEqual(1, oursOptimizer.StepCount);
            Assert.AreEqual(LearningRate, oursOptimizer.LearningRate);

            SetGradients(ours, 1);
            SetGradients(theirs, 1);
            oursOptimizer.Step();
            theirsOptimizer.step();
            AssertEqual(ours, theirs, "second step after loading TorchSharp's state");

            var back = new MemoryStream();
            using (var writer = new BinaryWriter(back, System.Text.Encoding.UTF8, leaveOpen: true))
                oursOptimizer.Save(writer);
            back.Position = 0;
            using (var reader = new BinaryReader(back))
                theirsOptimizer.load_state_dict(reader);
            SetGradients(ours, 2);
            SetGradients(theirs, 2);
            oursOptimizer.Step();
            theirsOptimizer.step();
            AssertEqual(ours, theirs, "third step after TorchSharp loaded our state");
        }
    }

    [TestMethod]
    public void MismatchedStateIsRefusedByName()
    {
        var (ours, oursOptimizer) = Start();
        using (oursOptimizer)
        {
            var saved = new MemoryStream();
            using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
                writer.Write("SGD");
            saved.Position = 0;
            using var reader = new BinaryReader(saved);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => oursOptimizer.Load(reader));
            StringAssert.Contains(e.Message, "SGD");
        }
    }

    private static (Parameter[] Parameters, AdamOptimizer Optimizer) Start()
    {
        var parameters = Parameters();
        return (parameters, new AdamOptimizer(parameters, LearningRate, Beta1, Beta2, WeightDecay));
    }

    private static (Parameter[] Parameters, Adam Optimizer) StartTorchSharp()
    {
        var parameters = Parameters();
        return (parameters, optim.Adam(parameters, LearningRate, Beta1, Beta2, weight_decay: WeightDecay));
    }

    private static Parameter[] Parameters()
    {
        using var generator = new Generator(5);
        return new[]
        {
            new Parameter(randn(new long[] { 3, 4 }, generator: generator)),
            new Parameter(randn(new long[] { 7 }, generator: generator)),
        };
    }

    /// <summary>Gradients that differ per step, including tiny ones where Adam amplifies differences.</summary>
    private static void SetGradients(Parameter[] parameters, int step)
    {
        using var generator = new Generator((ulong)(100 + step));
        foreach (var p in parameters)
        {
            using var g = randn(p.shape, generator: generator);
            using var scale = (step == 1 ? 1e-9 : 1.0).ToScalar();
            p.grad = g.mul(scale);
        }
    }

    private static void CopyValues(Parameter[] from, Parameter[] to)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < from.Length; i++) to[i].copy_(from[i]);
    }

    private static void AssertEqual(Parameter[] ours, Parameter[] theirs, string when)
    {
        for (var i = 0; i < ours.Length; i++)
            CollectionAssert.AreEqual(theirs[i].detach().data<float>().ToArray(), ours[i].detach().data<float>().ToArray(), $"parameter {i}, {when}");
    }
}
