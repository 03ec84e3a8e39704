using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Tools.Benchmarks;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class SyntheticMaskCatalogTests
{
    [TestMethod]
    public void DataViewHoldsTheRequestedReproduciblePatches()
    {
        var options = new SyntheticMaskOptions { PatchShape = ImageShape.Of3D(4, 10, 12), SemiAxis = (2, 4), CountPerPatch = (1, 6), Coding = SyntheticMaskCoding.ThreeLevel, Seed = 21 };
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadSyntheticMasks(options, 5);

        var maskType = (VectorDataViewType)view.Schema[SyntheticMaskRow.MaskColumnName].Type;
        Assert.AreEqual(NumberDataViewType.Byte, maskType.ItemType);
        CollectionAssert.AreEqual(new[] { 4, 10, 12 }, maskType.Dimensions.ToArray());
        var labelType = (VectorDataViewType)view.Schema[SyntheticMaskRow.LabelsColumnName].Type;
        Assert.AreEqual(NumberDataViewType.UInt32, labelType.ItemType);

        var generator = new SyntheticMaskGenerator(options);
        for (int pass = 0; pass < 2; pass++)
        {
            var rows = ml.Data.CreateEnumerable<SyntheticMaskRow>(view, reuseRowObject: false).ToList();
            Assert.HasCount(5, rows);
            for (int i = 0; i < rows.Count; i++)
            {
                var patch = generator.Generate(i);
                Assert.AreEqual(i, rows[i].Index);
                CollectionAssert.AreEqual(patch.Mask.Data, rows[i].Mask);
                CollectionAssert.AreEqual(patch.Labels.Data, rows[i].Labels);
                Assert.AreEqual(patch.TargetCount, rows[i].TargetCount);
                Assert.AreEqual(patch.Ellipses.Count, rows[i].AcceptedCount);
                Assert.AreEqual(patch.StoppedByRejections, rows[i].StoppedByRejections);
            }
        }
    }

    [TestMethod]
    public void BenchmarkReportsAPositiveTime()
    {
        var result = SyntheticMaskBenchmark.Run(new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(32, 32), SemiAxis = (3, 5), CountPerPatch = (2, 4) }, patches: 3, warmup: 1);
        Assert.AreEqual(3, result.Patches);
        Assert.IsGreaterThanOrEqualTo(0.0, result.MillisecondsPerPatch);
        Assert.IsGreaterThan(0.0, result.MeanAccepted);
    }
}
