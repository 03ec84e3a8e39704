using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;
using TorchSharp;

namespace Microsoft.ML.AdGan.Tests.Student;

[TestClass]
public sealed class StudentTrainerTests
{
    private static StudentTrainingOptions Tiny(StudentTarget target = StudentTarget.Distance) => new()
    {
        Iterations = 4,
        BatchSize = 2,
        Patches = 6,
        RenderBatchSize = 4,
        Network = new StudentNetworkOptions { BaseChannels = 2, Depth = 2, Target = target },
        LogEvery = 2,
    };

    private static SyntheticMaskOptions Masks() => new()
    {
        PatchShape = ImageShape.Of2D(24, 24),
        SemiAxis = (3, 6),
        CountPerPatch = (1, 3),
        Coding = SyntheticMaskCoding.ThreeLevel,
        Seed = 5,
    };

    private static AdGanNetworks Generator() => new(new AdGanNetworkOptions { BaseChannels = 2, StyleMlpWidth = 8, Seed = 5 });

    private static float[] Weights(AdGanStudent student) =>
        student.Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [TestMethod]
    public void TrainingIsDeterministicWithFixedThreadsAndMovesTheWeights()
    {
        torch.set_num_threads(1);
        using var generator = Generator();
        var log = new List<string>();
        using var first = StudentTrainer.Train(generator, Masks(), Tiny(), log: log.Add);
        using var second = StudentTrainer.Train(generator, Masks(), Tiny());
        CollectionAssert.AreEqual(Weights(first), Weights(second), "same seed, same threads: same weights");
        using var untrained = new StudentNetwork(Tiny().Network, Masks().Seed);
        CollectionAssert.AreNotEqual(untrained.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray(), Weights(first), "training moved the weights");
        Assert.IsTrue(log.Any(l => l.Contains("Student step 4/4", StringComparison.Ordinal)), string.Join("\n", log));
        var options = Tiny();
        options.Seed = 9;
        using var other = StudentTrainer.Train(generator, Masks(), options);
        CollectionAssert.AreNotEqual(Weights(first), Weights(other), "another seed, other weights");
    }

    [TestMethod]
    public void TargetsCodeTheEllipsesAsTheMasksDo()
    {
        var patch = new SyntheticMaskGenerator(Masks()).Generate(3);
        var mask = patch.Mask.Data;
        var threeLevel = StudentTrainer.Target(patch, StudentTarget.ThreeLevel);
        var distance = StudentTrainer.Target(patch, StudentTarget.Distance);
        Assert.IsTrue(mask.Any(v => v == 255), "the patch has a nucleus");
        for (int i = 0; i < mask.Length; i++)
        {
            Assert.AreEqual(mask[i] == 0 ? -1f : mask[i] == 127 ? 0f : 1f, threeLevel[i], $"3-level target at {i}");
            if (mask[i] == 0)
                Assert.AreEqual(-1f, distance[i], $"background at {i}");
            else
                Assert.AreEqual(mask[i] == 255, distance[i] >= 0.5f, $"the core is where the normalised distance reaches 0.5 (pixel {i}, {distance[i]})");
        }
        Assert.AreEqual(1f, distance.Max(), 1e-6f, "each nucleus peaks at 1");
    }

    [TestMethod]
    public void TheTrainerTrainsAStudentAfterAdGanWhenAsked()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        options.Student = Tiny(StudentTarget.ThreeLevel);
        using var trainer = new AdGanTrainer(options, TinyTraining.Source(options));
        using var model = trainer.Train();
        Assert.IsNotNull(model.Student);
        Assert.AreEqual(StudentTarget.ThreeLevel, model.Student.Settings.Network.Target);
        var image = TinyTraining.Images(1)[0].Image;
        using var student = model.WithSettings(model.Settings with { Network = SegmentationNetwork.Student });
        var segmented = new NucleusSegmenter(student).Segment(image);
        Assert.AreEqual(image.Shape, segmented.DecodedMap.Shape);
        Assert.AreEqual(image.Shape, segmented.Labels.Shape);

        options.Student = null;
        using var plain = new AdGanTrainer(options, TinyTraining.Source(options));
        using var withoutStudent = plain.Train();
        Assert.IsNull(withoutStudent.Student);
    }

    [TestMethod]
    public void PseudoLabelsCodeEachObjectByItsOwnEdgeAndNotTheImageBorder()
    {
        // Two touching 5-row rectangles: columns 1-6 and 7-9, the right one cut by the image's right border.
        var labels = new uint[7 * 10];
        for (int y = 1; y <= 5; y++)
            for (int x = 1; x <= 9; x++)
                labels[y * 10 + x] = x <= 6 ? 1u : 2u;
        var map = new ImageBuffer<uint>(labels, ImageShape.Of2D(7, 10));
        var distance = StudentPseudoLabels.Code(map, StudentTarget.Distance);
        var threeLevel = StudentPseudoLabels.Code(map, StudentTarget.ThreeLevel);
        Assert.AreEqual(-1f, distance[0]);
        Assert.AreEqual(1f, distance[3 * 10 + 3], 1e-6f, "left object: 3 from its edges in the middle");
        Assert.AreEqual(1f / 3, distance[3 * 10 + 6], 1e-6f, "the pixel at the touching edge is 1 from its object's edge");
        Assert.AreEqual(1f, distance[3 * 10 + 9], 1e-6f, "right object: the image border is not an edge");
        Assert.AreEqual(2f / 3, distance[3 * 10 + 8], 1e-6f);
        Assert.AreEqual(0f, threeLevel[3 * 10 + 6]);
        Assert.AreEqual(1f, threeLevel[3 * 10 + 3]);
    }

    [TestMethod]
    public void PseudoLabelledImagesJoinTheBatchesDeterministically()
    {
        torch.set_num_threads(1);
        var training = TinyTraining.Options<AdGanTrainerOptions>();
        var source = TinyTraining.Source(training);
        using var generator = Generator();
        var options = Tiny();
        options.PseudoLabelFraction = 0.5;
        var log = new List<string>();
        using var first = StudentTrainer.Train(generator, Masks(), options, source, training.InferenceSettings(), log.Add);
        using var second = StudentTrainer.Train(generator, Masks(), options, source, training.InferenceSettings());
        CollectionAssert.AreEqual(Weights(first), Weights(second));
        using var synthetic = StudentTrainer.Train(generator, Masks(), Tiny());
        CollectionAssert.AreNotEqual(Weights(synthetic), Weights(first), "the real images changed what was learnt");
        Assert.IsTrue(log.Any(l => l.Contains("2 training images labelled by AD-GAN", StringComparison.Ordinal)), string.Join("\n", log));
        Assert.ThrowsExactly<ArgumentException>(() => StudentTrainer.Train(generator, Masks(), options));
    }

    [TestMethod]
    public void BadOptionsNameTheOption()
    {
        var options = Tiny();
        options.Patches = 0;
        Assert.AreEqual("Patches", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate()).ParamName);
        options = Tiny();
        options.BrightnessJitter = 1;
        Assert.AreEqual("BrightnessJitter", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate()).ParamName);
        var trainer = TinyTraining.Options<AdGanTrainerOptions>();
        trainer.Student = new StudentTrainingOptions { Iterations = 0 };
        Assert.AreEqual("Iterations", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Validate()).ParamName);
    }
}
