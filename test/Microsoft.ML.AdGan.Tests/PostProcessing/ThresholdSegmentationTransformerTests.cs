using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class ThresholdSegmentationTransformerTests
{
    public sealed class Row
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        [Microsoft.ML.Data.ColumnName("Image.Height")]
        public int ImageHeight { get; set; }

        [Microsoft.ML.Data.ColumnName("Image.Width")]
        public int ImageWidth { get; set; }

        [VectorType]
        public uint[] Truth { get; set; } = Array.Empty<uint>();
    }

    [TestMethod]
    public void SegmentsRowsLikeTheSegmenterAndSurvivesSaveLoad()
    {
        var shape = ImageShape.Of2D(48, 64);
        var truth = InstanceLabelerTests.TouchingNuclei(shape, 1);
        var image = truth.Data.Select(v => v == 0 ? 10f : 200f).ToArray();
        var options = new ThresholdSegmentationOptions { MinDiameter = 8 };
        var expected = new ThresholdSegmentation(options).Segment(new ImageBuffer<float>(image, shape)).Data;
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Image = image, ImageHeight = 48, ImageWidth = 64, Truth = truth.Data } });
        var model = ml.Nuclei().SegmentWithThreshold("Nuclei", "Image", options).Fit(data);
        var scored = model.Transform(data);
        var labels = scored.GetColumn<VBuffer<uint>>("Nuclei").Single().DenseValues().ToArray();
        CollectionAssert.AreEqual(expected, labels);
        Assert.AreEqual(48, scored.GetColumn<int>("Nuclei.Height").Single());
        Assert.AreEqual(64, scored.GetColumn<int>("Nuclei.Width").Single());
        var metrics = ml.EvaluateSegmentation(scored, "Truth", "Nuclei");
        Assert.IsGreaterThan(0.9, metrics.Dice, metrics.ToString());

        var path = Path.Combine(Path.GetTempPath(), $"adgan-threshold-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext().Model.Load(path, out _);
            var again = loaded.Transform(data);
            CollectionAssert.AreEqual(labels, again.GetColumn<VBuffer<uint>>("Nuclei").Single().DenseValues().ToArray());
            Assert.IsNull(again.Schema.GetColumnOrNull("__AdGanInstanceLabelMap"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void OptionsRoundTripThroughTheCodec()
    {
        var o = new ThresholdSegmentationOptions { Method = ThresholdMethod.Li, BlurSigma = 2, MinDiameter = 12, MarkerRadius = 4, MinObjectSize = 30, FillHoles = false, DropBorderObjects = true, ExcludeBorderPeaks = false, WatershedConnectivity = Connectivity.Full };
        var d = ThresholdSegmentationCodec.Decode(ThresholdSegmentationCodec.Encode(o));
        Assert.AreEqual(ThresholdMethod.Li, d.Method);
        Assert.AreEqual(4, d.MarkerRadius);
        Assert.AreEqual(30.0, d.MinObjectSize);
        Assert.IsFalse(d.FillHoles);
        Assert.IsTrue(d.DropBorderObjects);
        Assert.IsFalse(d.ExcludeBorderPeaks);
        Assert.AreEqual(Connectivity.Full, d.WatershedConnectivity);
        Assert.IsNull(ThresholdSegmentationCodec.Decode(ThresholdSegmentationCodec.Encode(new ThresholdSegmentationOptions())).MarkerRadius);
    }
}
