using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Tests.Persistence;

namespace Microsoft.ML.AdGan.Tests.Inference;

/// <summary>Immutable inference settings with with-style variants, test-time flips and the per-image scale (tiny untrained networks).</summary>
[TestClass]
public sealed class InferenceOptionsTests
{
    [TestMethod]
    public void WithSettingsSharesTheWeightsAndLeavesTheOriginalAlone()
    {
        using var model = AdGanModelSerializerTests.TinyModel();
        var image = AdGanModelSerializerTests.TestImage(30, 41);
        var before = model.Decode(image).Data;
        var variant = model.WithSettings(model.Settings with { ImageScale = 0.5 });
        Assert.AreNotEqual(model.Id, variant.Id, "another id: the cache keys models by id");
        Assert.AreSame(model.Networks, variant.Networks);
        Assert.AreEqual(1.0, model.Settings.ImageScale);
        CollectionAssert.AreNotEqual(before, variant.Decode(image).Data);
        variant.Dispose();
        CollectionAssert.AreEqual(before, model.Decode(image).Data, "disposing a variant leaves the shared weights usable");
    }

    [TestMethod]
    public void WithSettingsRefusesAnotherNetworkShape()
    {
        using var model = AdGanModelSerializerTests.TinyModel();
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.WithSettings(model.Settings with { BaseChannels = 4 }));
        StringAssert.Contains(e.Message, "ngf 4");
    }

    /// <summary>
    /// Averaging over the 4 flips makes the decoded map equivariant to flips (flipping the image flips the map), which an
    /// untrained network without flips is not.
    /// </summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void FlipAveragingMakesTheMapFlipEquivariant(bool volume)
    {
        using var model = volume ? AdGanModelSerializerTests.TinyModel(dimensions: 3) : AdGanModelSerializerTests.TinyModel();
        var image = volume ? Volume(8, 20, 28) : AdGanModelSerializerTests.TestImage(30, 41);
        using var tta = model.WithSettings(model.Settings with { TestTimeAugmentation = true });
        var flip = (volume, true, false);
        double plain = MaxDifference(model.Decode(FlipAugmentation.Apply(image, flip)), FlipAugmentation.Apply(model.Decode(image), flip));
        double averaged = MaxDifference(tta.Decode(FlipAugmentation.Apply(image, flip)), FlipAugmentation.Apply(tta.Decode(image), flip));
        Assert.IsLessThan(1e-5, averaged, $"with flips {averaged:E2}");
        Assert.IsGreaterThan(1e-3, plain, $"without flips {plain:E2}");
        Assert.HasCount(volume ? 8 : 4, FlipAugmentation.Flips(image.Shape));
    }

    [TestMethod]
    public void PerImageScaleBringsMeasuredNucleiToTheTrainedSize()
    {
        using var model = AdGanModelSerializerTests.TinyModel();
        using var perImage = model.WithSettings(model.Settings with { PerImageScale = true, TrainedSemiAxis = 6 });
        foreach (var (semiAxis, expected) in new[] { ((12, 14), 6.0 / 13), ((5, 7), 1.0) })
        {
            var simulated = new MicroscopySimulator(new MicroscopySimulationOptions
            {
                Shape = ImageShape.Of2D(160, 160),
                SemiAxis = semiAxis,
                CountPerImage = (10, 14),
                Seed = 4,
            }).Simulate(0).Image;
            var normalized = IntensityNormalizer.Normalize(simulated, model.Settings.Normalization);
            double scale = new NucleusSegmenter(perImage).WorkingScale(normalized);
            Assert.AreEqual(expected, scale, 0.2 * expected, $"nuclei of semi-axis {semiAxis}: scale {scale:F3}");
            Assert.AreEqual(1.0, new NucleusSegmenter(model).WorkingScale(normalized), "without the option the model's ImageScale is used");
            using var fixedScale = model.WithSettings(model.Settings with { ImageScale = scale });
            CollectionAssert.AreEqual(fixedScale.Decode(simulated).Data, perImage.Decode(simulated).Data);
        }
    }

    [TestMethod]
    public void PerImageScaleNeedsTheTrainedNucleusSize()
    {
        using var model = AdGanModelSerializerTests.TinyModel();
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.WithSettings(model.Settings with { PerImageScale = true }));
        Assert.AreEqual(nameof(AdGanInferenceSettings.PerImageScale), e.ParamName);
        StringAssert.Contains(e.Message, "TrainedSemiAxis");
    }

    [TestMethod]
    public void TrainedModelsRecordTheirNucleusSize()
    {
        var options = new Microsoft.ML.AdGan.Training.AdGanTrainerOptions { Masks = new SyntheticMaskOptions { SemiAxis = (10, 15) } };
        Assert.AreEqual(12.0, options.InferenceSettings().TrainedSemiAxis);
    }

    private static ImageBuffer<float> Volume(int d, int h, int w)
    {
        var data = new float[d * h * w];
        for (int i = 0; i < data.Length; i++)
            data[i] = 100 + 50 * MathF.Sin(i * 0.1f) + 20 * MathF.Cos(i * 0.031f);
        return new ImageBuffer<float>(data, ImageShape.Of3D(d, h, w));
    }

    private static double MaxDifference(ImageBuffer<float> a, ImageBuffer<float> b)
        => a.Data.Select((v, i) => Math.Abs((double)v - b.Data[i])).Max();
}
