using System.Text.Json;
using Microsoft.ML.AdGan.Export;

namespace Microsoft.ML.AdGan.Tests.Export;

[TestClass]
public sealed class GeoJsonWriterTests
{
    [TestMethod]
    public void FeaturesFillBackToTheLabelsWithQuPathProperties()
    {
        var labels = ExportScenes.Labels2D();
        using var ms = new MemoryStream();
        GeoJsonWriter.Write(ms, LabelOutlines.Trace(labels), isVolume: false);
        using var doc = JsonDocument.Parse(ms.ToArray());
        Assert.AreEqual("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.HasCount(15, features);
        var rebuilt = new uint[labels.Data.Length];
        foreach (var f in features)
        {
            var props = f.GetProperty("properties");
            Assert.AreEqual("detection", props.GetProperty("objectType").GetString());
            uint label = uint.Parse(props.GetProperty("name").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.AreEqual(label, props.GetProperty("measurements").GetProperty("Label").GetUInt32());
            var geometry = f.GetProperty("geometry");
            Assert.IsFalse(geometry.TryGetProperty("plane", out _), "2D features use QuPath's default plane");
            var filled = PolygonRaster.Fill(Rings(geometry), labels.Shape.Height, labels.Shape.Width);
            for (int i = 0; i < filled.Length; i++)
            {
                if (filled[i])
                    rebuilt[i] = label;
            }
        }

        CollectionAssert.AreEqual(labels.Data, rebuilt);
        var byLabel = features.ToDictionary(f => f.GetProperty("properties").GetProperty("name").GetString()!);
        Assert.AreEqual("Polygon", byLabel["2"].GetProperty("geometry").GetProperty("type").GetString());
        Assert.AreEqual(2, byLabel["2"].GetProperty("geometry").GetProperty("coordinates").GetArrayLength(), "exterior and one interior ring");
        Assert.AreEqual("MultiPolygon", byLabel["3"].GetProperty("geometry").GetProperty("type").GetString());
        Assert.AreEqual(2, byLabel["3"].GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
    }

    [TestMethod]
    public void RingsAreClosedAndFollowTheRfcWinding()
    {
        using var ms = new MemoryStream();
        GeoJsonWriter.Write(ms, LabelOutlines.Trace(ExportScenes.Labels2D()), isVolume: false, QuPathObjectType.Annotation);
        using var doc = JsonDocument.Parse(ms.ToArray());
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            Assert.AreEqual("annotation", f.GetProperty("properties").GetProperty("objectType").GetString());
            var g = f.GetProperty("geometry");
            var polygons = g.GetProperty("type").GetString() == "Polygon" ? new[] { g.GetProperty("coordinates") } : g.GetProperty("coordinates").EnumerateArray().ToArray();
            foreach (var polygon in polygons)
            {
                int index = 0;
                foreach (var ring in polygon.EnumerateArray())
                {
                    var pts = ring.EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
                    Assert.AreEqual(pts[0], pts[^1], "a linear ring repeats its first position");
                    double area2 = 0;
                    for (int i = 0; i + 1 < pts.Count; i++)
                        area2 += pts[i].X * pts[i + 1].Y - pts[i + 1].X * pts[i].Y;
                    Assert.AreEqual(index == 0, area2 > 0, "exterior counter-clockwise, holes clockwise (as written)");
                    index++;
                }
            }
        }
    }

    [TestMethod]
    public void VolumeFeaturesCarryTheirPlane()
    {
        using var ms = new MemoryStream();
        GeoJsonWriter.Write(ms, LabelOutlines.Trace(ExportScenes.Labels3D()), isVolume: true);
        using var doc = JsonDocument.Parse(ms.ToArray());
        var ball = doc.RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("name").GetString() == "1")
            .Select(f => f.GetProperty("geometry").GetProperty("plane"))
            .ToList();
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, ball.Select(p => p.GetProperty("z").GetInt32()).ToArray());
        Assert.IsTrue(ball.All(p => p.GetProperty("c").GetInt32() == -1 && p.GetProperty("t").GetInt32() == 0));
    }

    internal static List<(double[] X, double[] Y)> Rings(JsonElement geometry)
    {
        var coordinates = geometry.GetProperty("coordinates");
        var polygons = geometry.GetProperty("type").GetString() == "Polygon" ? new[] { coordinates } : coordinates.EnumerateArray().ToArray();
        return polygons.SelectMany(p => p.EnumerateArray())
            .Select(r => (r.EnumerateArray().Select(v => v[0].GetDouble()).ToArray(), r.EnumerateArray().Select(v => v[1].GetDouble()).ToArray()))
            .ToList();
    }
}
