using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Tests.PostProcessing;

[TestClass]
public sealed class InstanceLabelTransformerTests
{
    public sealed class Row
    {
        public float[] Decoded { get; set; } = Array.Empty<float>();

        [Microsoft.ML.Data.ColumnName("Decoded.Height")]
        public int DecodedHeight { get; set; }

        [Microsoft.ML.Data.ColumnName("Decoded.Width")]
        public int DecodedWidth { get; set; }

        [VectorType]
        public uint[] Truth { get; set; } = Array.Empty<uint>();
    }

    [TestMethod]
    public void LabelsRowsSavesLoadsAndEvaluates()
    {
        var truth = InstanceLabelerTests.TouchingNuclei(Microsoft.ML.AdGan.Imaging.ImageShape.Of2D(40, 56), 1);
        var map = InstanceLabelerTests.ThreeLevel(truth);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Decoded = map.Data, DecodedHeight = 40, DecodedWidth = 56, Truth = truth.Data } });
        var model = ml.Nuclei().LabelInstances("Instances", "Decoded", new InstanceLabelOptions { MinObjectSize = 3 }).Fit(data);
        var scored = model.Transform(data);
        var metrics = ml.EvaluateSegmentation(scored, "Truth", "Instances");
        Assert.IsGreaterThanOrEqualTo(0.95, metrics.AggregatedJaccardIndex, metrics.ToString());

        var path = Path.Combine(Path.GetTempPath(), $"adgan-label-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext().Model.Load(path, out _);
            var again = loaded.Transform(data);
            var a = scored.GetColumn<VBuffer<uint>>("Instances").Single().DenseValues().ToArray();
            var b = again.GetColumn<VBuffer<uint>>("Instances").Single().DenseValues().ToArray();
            CollectionAssert.AreEqual(a, b);
            Assert.IsNull(again.Schema.GetColumnOrNull("__AdGanInstanceLabelMap"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void MissingShapeColumnIsNamed()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new { Decoded = new float[] { 1f } } }.Select(r => new Row { Decoded = r.Decoded }));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Nuclei().LabelInstances("I", "Decoded", new InstanceLabelOptions(), heightColumnName: "H").Fit(data));
        StringAssert.Contains(e.Message, "'H'");
    }
}
