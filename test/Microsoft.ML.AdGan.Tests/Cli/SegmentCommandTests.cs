using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class SegmentCommandTests
{
    /// <summary>Runs <paramref name="body"/> with one torch thread (the decoded maps it compares must not depend on threading).</summary>
    private static void OnOneThread(Action body)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            body();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Writes one simulated image to DIR/images/cells and a tiny untrained model (settings changed by <paramref name="configure"/>) to DIR/model.zip.</summary>
    private static (string Images, string Image, string Model) WriteImageAndModel(TempFolder temp, MicroscopySimulationOptions simulation,
        Func<AdGanInferenceSettings, AdGanInferenceSettings>? configure = null, int dimensions = 2)
    {
        string images = temp.File("images"), model = temp.File("model.zip");
        Directory.CreateDirectory(images);
        string file = SynthesisImageFiles.Write(Path.Combine(images, "cells"), new MicroscopySimulator(simulation).Simulate(0).Image, 16);
        using var tiny = Persistence.AdGanModelSerializerTests.TinyModel(dimensions);
        using var configured = tiny.WithSettings(configure?.Invoke(tiny.Settings) ?? tiny.Settings);
        AdGanModelFile.Save(new MLContext(1), configured, model);
        AdGanModelCache.Remove(configured.Id);
        return (images, file, model);
    }

    [TestMethod]
    public void PerImageScaleLabelsEachImageAtTheScaleItWasDecodedAt() => OnOneThread(() =>
    {
        using var temp = new TempFolder();
        // Nuclei of semi-axis ~13 for a model trained at 6: per-image scale decodes this image at about 0.46, not at 1.
        var (images, file, model) = WriteImageAndModel(temp,
            new MicroscopySimulationOptions { Shape = ImageShape.Of2D(96, 96), SemiAxis = (12, 14), CountPerImage = (5, 7), Seed = 4 },
            s => s with { TrainedSemiAxis = 6 });

        Assert.AreEqual(0, SegmentCommand.RunAdGan(model, images, temp.File("pred"), writeDecoded: false, TextWriter.Null, perImageScale: true));

        using var loaded = AdGanModelFile.LoadModel(new MLContext(), model, s => s with { PerImageScale = true });
        var image = MicroscopyImageReader.Read(file, new MicroscopyReadOptions { FirstPageOnly = true });
        var decoded = new NucleusSegmenter(loaded).Decode(image);
        Assert.AreEqual(1.0, decoded.ModelScale);
        Assert.IsLessThan(0.7, decoded.WorkingScale, "the image is decoded at its own scale");
        var labeler = new InstanceLabeler(AdGanLabeling.For(loaded.Settings));
        var atItsScale = labeler.Label(decoded.Map, image, decoded.WorkingScale);
        var atModelScale = labeler.Label(decoded.Map, image);
        CollectionAssert.AreNotEqual(atModelScale.Data, atItsScale.Data, "the two scales must label this map differently for the test to tell them apart");

        var written = LabelMaps.Read(Path.Combine(temp.File("pred"), "cells.png"));
        CollectionAssert.AreEqual(atItsScale.Data, written.Data, "segment labels each image at the scale it was decoded at");
    });

    [TestMethod]
    public void ImageBandZeroKeepsTheDecodedMapsBoundary() => OnOneThread(() =>
    {
        using var temp = new TempFolder();
        var (images, file, model) = WriteImageAndModel(temp,
            new MicroscopySimulationOptions { Shape = ImageShape.Of2D(64, 64), SemiAxis = (6, 8), CountPerImage = (3, 5), Seed = 2 });

        Assert.AreEqual(0, SegmentCommand.RunAdGan(model, images, temp.File("map"), writeDecoded: false, TextWriter.Null, imageBand: 0));
        Assert.AreEqual(0, SegmentCommand.RunAdGan(model, images, temp.File("band"), writeDecoded: false, TextWriter.Null));

        using var loaded = AdGanModelFile.LoadModel(new MLContext(), model);
        var image = MicroscopyImageReader.Read(file, new MicroscopyReadOptions { FirstPageOnly = true });
        var options = AdGanLabeling.For(loaded.Settings);
        var withBand = new NucleusSegmenter(loaded, options).Segment(image).Labels;
        options.ImageBoundaryBand = 0;
        var mapOnly = new NucleusSegmenter(loaded, options).Segment(image).Labels;
        CollectionAssert.AreNotEqual(mapOnly.Data, withBand.Data, "the two labellings must differ on this image for the test to tell them apart");
        CollectionAssert.AreEqual(mapOnly.Data, LabelMaps.Read(Path.Combine(temp.File("map"), "cells.png")).Data);
        CollectionAssert.AreEqual(withBand.Data, LabelMaps.Read(Path.Combine(temp.File("band"), "cells.png")).Data, "the default refines with the image");
    });

    [TestMethod]
    public void AnImageBandForAVolumeModelIsRejectedByName()
    {
        using var temp = new TempFolder();
        var (images, _, model) = WriteImageAndModel(temp,
            new MicroscopySimulationOptions { Shape = ImageShape.Of3D(8, 32, 32), SemiAxis = (3, 4), CountPerImage = (1, 2), Seed = 1 }, dimensions: 3);

        var e = Assert.ThrowsExactly<ArgumentException>(() => SegmentCommand.RunAdGan(model, images, temp.File("pred"), writeDecoded: false, TextWriter.Null, imageBand: 2));
        StringAssert.Contains(e.Message, "--image-band");
    }
}
