using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Training;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Training;

[TestClass]
public sealed class GeneratorAverageTests
{
    private static Dictionary<string, float[]> Generator(AdGanTrainer trainer) =>
        trainer.Networks.Encoder.named_parameters().Select(p => ("encoder." + p.name, p.parameter))
            .Concat(trainer.Networks.Decoder.named_parameters().Select(p => ("decoder." + p.name, p.parameter)))
            .ToDictionary(p => p.Item1, p => p.parameter.detach().cpu().data<float>().ToArray());

    private static Dictionary<string, float[]> ModelWeights(AdGanSegmentationModel model) =>
        model.Networks.Encoder.named_parameters().Select(p => ("encoder." + p.name, p.parameter))
            .Concat(model.Networks.Decoder.named_parameters().Select(p => ("decoder." + p.name, p.parameter)))
            .ToDictionary(p => p.Item1, p => p.parameter.detach().cpu().data<float>().ToArray());

    [TestMethod]
    public void TheModelGetsTheWarmedUpAverageOfTheWeights()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 1);
        options.GeneratorAverageDecay = 0.999;
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        var w0 = Generator(trainer);
        var stepOne = new Dictionary<string, float[]>();
        options.MetricsCallback = m =>
        {
            if (m.Iteration == 1)
                foreach (var (name, values) in Generator(trainer))
                    stepOne[name] = values;
        };
        using var model = trainer.Train();
        var w2 = Generator(trainer);
        var averaged = ModelWeights(model);
        Assert.HasCount(w0.Count, stepOne);
        int moved = 0;
        foreach (var (name, values) in averaged)
        {
            for (int i = 0; i < values.Length; i++)
            {
                // update 0: d = min(0.999, 1/10) = 0.1; update 1: d = 2/11.
                double first = 0.1 * w0[name][i] + 0.9 * stepOne[name][i];
                double expected = 2.0 / 11 * first + 9.0 / 11 * w2[name][i];
                Assert.AreEqual(expected, values[i], 1e-5 + 1e-5 * Math.Abs(expected), $"{name}[{i}]");
                if (Math.Abs(values[i] - w2[name][i]) > 1e-7)
                    moved++;
            }
        }

        Assert.IsGreaterThan(0, moved, "the averaged model differs from the last weights");
    }

    [TestMethod]
    public void WithoutAverageTheModelGetsTheLastWeights()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 1);
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        using var model = trainer.Train();
        var last = Generator(trainer);
        foreach (var (name, values) in ModelWeights(model))
            CollectionAssert.AreEqual(last[name], values, name);
    }

    [TestMethod]
    public void ResumingWithAnAverageEqualsAnUninterruptedRunBitForBit()
    {
        using var temp = new TempFolder();
        AdGanTrainerOptions Options()
        {
            var o = TinyTraining.Options<AdGanTrainerOptions>();
            o.GeneratorAverageDecay = 0.9;
            return o;
        }

        Dictionary<string, float[]> expected;
        var full = Options();
        using (var trainer = new AdGanTrainer(full, TinyTraining.Source(full)))
        using (var model = trainer.Train())
            expected = ModelWeights(model);

        using var cancel = new CancellationTokenSource();
        var first = Options();
        first.CheckpointDirectory = temp.Path;
        first.MetricsCallback = m =>
        {
            if (m.Iteration == 3)
                cancel.Cancel();
        };
        using (var trainer = new AdGanTrainer(first, TinyTraining.Source(first)))
            Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Train(cancel.Token));

        var second = Options();
        second.ResumeFrom = Path.Combine(temp.Path, "checkpoint.adgan");
        using var resumed = new AdGanTrainer(second, TinyTraining.Source(second));
        Assert.AreEqual(3, resumed.CompletedIterations);
        using var resumedModel = resumed.Train();
        var actual = ModelWeights(resumedModel);
        Assert.HasCount(expected.Count, actual);
        foreach (var (name, values) in expected)
            CollectionAssert.AreEqual(values, actual[name], $"averaged parameter {name} differs after resume");

        // A run that resumes the same checkpoint without averaging must still read it.
        var plain = TinyTraining.Options<AdGanTrainerOptions>();
        plain.ResumeFrom = second.ResumeFrom;
        using var plainTrainer = new AdGanTrainer(plain, TinyTraining.Source(plain));
        Assert.AreEqual(3, plainTrainer.CompletedIterations);
    }

    [TestMethod]
    public void ADecayOfOneOrMoreIsRejectedByName()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>();
        options.GeneratorAverageDecay = 1;
        Assert.AreEqual("GeneratorAverageDecay", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate()).ParamName);
    }
}
