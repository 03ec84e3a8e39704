using System.Globalization;
using Microsoft.ML.AdGan.Export;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class NucleusMeasurementsTests
{
    [TestMethod]
    public void RegionPropsDefinitionsOnShapesWorkedByHand()
    {
        // A 3 x 3 U (7 pixels), a 2 x 4 bar, one pixel; pixel size 0.5 x 0.25 µm.
        var m = new ImageBuffer<uint>(ImageShape.Of2D(6, 8), new VoxelSize(0, 0.5, 0.25));
        foreach (var (y, x) in new[] { (0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2) })
            m[y, x] = 1;
        for (int y = 4; y < 6; y++)
        {
            for (int x = 3; x < 7; x++)
                m[y, x] = 2;
        }

        m[1, 6] = 3;
        var image = new ImageBuffer<float>(Enumerable.Range(0, 48).Select(i => (float)i).ToArray(), m.Shape);
        var rows = NucleusMeasurements.Measure(m, image).ToDictionary(r => r.Label);

        var u = rows[1];
        Assert.AreEqual(7, u.Size);
        Assert.AreEqual(7 * 0.125, u.PhysicalSize!.Value, 1e-12);
        Assert.AreEqual((0 + 1 + 2 + 2 + 2 + 1 + 0) / 7.0, u.CentroidY, 1e-12);
        Assert.AreEqual(1.0, u.CentroidX, 1e-12);
        Assert.AreEqual((0, 0, 3, 3), (u.MinY, u.MinX, u.MaxY, u.MaxX));
        Assert.AreEqual(7 / 9.0, u.Solidity, 1e-12, "the hull takes in the two missing pixels (one on its edge)");
        Assert.AreEqual(Math.Sqrt(4 * 7 / Math.PI), u.EquivalentDiameter, 1e-12);
        Assert.AreEqual(Math.Sqrt(4 * 0.875 / Math.PI), u.PhysicalEquivalentDiameter!.Value, 1e-12);
        Assert.IsTrue(u.TouchesBorder);
        double[] values = { 0, 8, 16, 17, 18, 10, 2 };
        Assert.AreEqual(values.Average(), u.MeanIntensity!.Value, 1e-9);
        Assert.AreEqual(values.Sum(), u.IntegratedIntensity!.Value, 1e-9);
        Assert.AreEqual(18, u.MaxIntensity!.Value);

        var bar = rows[2];
        Assert.AreEqual(1.0, bar.Solidity, 1e-12);
        // Covariance of a 2 x 4 block: var(y) = 1/4, var(x) = 5/4, so eccentricity = sqrt(1 - 1/5).
        Assert.AreEqual(Math.Sqrt(0.8), bar.Eccentricity!.Value, 1e-12);
        Assert.IsTrue(bar.TouchesBorder, "the bar reaches the last row");

        var dot = rows[3];
        Assert.AreEqual(0, dot.Eccentricity!.Value);
        Assert.AreEqual(1, dot.Solidity);
        Assert.IsFalse(dot.TouchesBorder);
    }

    [TestMethod]
    public void VolumeHullAgreesWithTheImageHullOnExtrudedShapes()
    {
        var flat = ExportScenes.Labels2D();
        const int depth = 3;
        var tall = new ImageBuffer<uint>(ImageShape.Of3D(depth + 2, flat.Shape.Height, flat.Shape.Width), new VoxelSize(1, 1, 1));
        for (int z = 1; z <= depth; z++)
            Array.Copy(flat.Data, 0, tall.Data, z * flat.Data.Length, flat.Data.Length);
        var flatRows = NucleusMeasurements.Measure(flat).ToDictionary(r => r.Label);
        foreach (var r in NucleusMeasurements.Measure(tall))
        {
            Assert.AreEqual(flatRows[r.Label].Solidity, r.Solidity, 1e-12, $"label {r.Label}");
            Assert.AreEqual(flatRows[r.Label].Size * depth, r.Size);
            Assert.AreEqual(2.0, r.CentroidZ, 1e-12);
            Assert.IsNull(r.Eccentricity);
        }
    }

    [TestMethod]
    public void TableStatesUnitsAndAxesAndLeavesUnknownsBlank()
    {
        var labels = new ImageBuffer<uint>(new uint[] { 0, 5, 5, 0 }, ImageShape.Of2D(2, 2));
        var text = new StringWriter();
        NucleusMeasurements.WriteCsv(text, NucleusMeasurements.Measure(labels), is3D: false, imageName: "a,b");
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("image,label,area_px,area_um2,centroid_y,centroid_x,bbox_min_y,bbox_min_x,bbox_max_y,bbox_max_x,equivalent_diameter_px,equivalent_diameter_um,eccentricity,solidity,mean_intensity,integrated_intensity,max_intensity,touches_border", lines[0]);
        Assert.HasCount(2, lines);
        StringAssert.StartsWith(lines[1], "\"a,b\",5,2,,0.5,0.5,0,0,2,2,");
        StringAssert.EndsWith(lines[1], ",,,,true");

        var volume = new StringWriter();
        NucleusMeasurements.WriteCsv(volume, NucleusMeasurements.Measure(ExportScenes.Labels3D()), is3D: true);
        var header = volume.ToString().Split('\n')[0].Split(',');
        CollectionAssert.Contains(header, "volume_um3");
        CollectionAssert.Contains(header, "centroid_z");
        CollectionAssert.DoesNotContain(header, "eccentricity");
        var ball = volume.ToString().Split('\n')[1].Split(',');
        Assert.AreEqual(double.Parse(ball[2], CultureInfo.InvariantCulture) * 0.5, double.Parse(ball[3], CultureInfo.InvariantCulture), 1e-9, "µm³ from the 2 x 0.5 x 0.5 µm voxel");
    }

    [TestMethod]
    public void MismatchedImageIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => NucleusMeasurements.Measure(new ImageBuffer<uint>(ImageShape.Of2D(2, 2)), new ImageBuffer<float>(ImageShape.Of2D(2, 3))));
        StringAssert.Contains(e.Message, "2x3");
    }
}
