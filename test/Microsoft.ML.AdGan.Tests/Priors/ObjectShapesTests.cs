using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Tests.Priors;

[TestClass]
public sealed class ObjectShapesTests
{
    internal static void DrawEllipse(uint[] labels, int width, uint label, double cy, double cx, double a, double b, double angle)
    {
        int height = labels.Length / width;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = (x - cx) * cos + (y - cy) * sin, v = -(x - cx) * sin + (y - cy) * cos;
                if (u * u / (a * a) + v * v / (b * b) <= 1)
                    labels[y * width + x] = label;
            }
        }
    }

    [TestMethod]
    public void FilledEllipsesMeasureTheirOwnSemiAxes()
    {
        var data = new uint[120 * 140];
        DrawEllipse(data, 140, 1, 40, 40, 25, 12, 0.3);
        DrawEllipse(data, 140, 7, 85, 95, 18, 18, 0);
        var shapes = ObjectShapes.Measure(new ImageBuffer<uint>(data, ImageShape.Of2D(120, 140)));
        Assert.HasCount(2, shapes);
        Assert.AreEqual(1u, shapes[0].Label);
        Assert.AreEqual(25, shapes[0].SemiMajorAxis, 0.5);
        Assert.AreEqual(12, shapes[0].SemiMinorAxis, 0.5);
        Assert.AreEqual(40, shapes[0].CentroidY, 0.1);
        Assert.AreEqual(7u, shapes[1].Label);
        Assert.AreEqual(18, shapes[1].SemiMajorAxis, 0.5);
        Assert.AreEqual(18, shapes[1].SemiMinorAxis, 0.5);
        Assert.AreEqual(1.0, shapes[1].EllipseFit, 0.05);
        Assert.IsFalse(shapes[0].TouchesBorder);
    }

    [TestMethod]
    public void BorderObjectsAreFlaggedAndEmptyMapsGiveNothing()
    {
        var data = new uint[30 * 30];
        DrawEllipse(data, 30, 3, 2, 15, 6, 4, 0);
        var shapes = ObjectShapes.Measure(new ImageBuffer<uint>(data, ImageShape.Of2D(30, 30)));
        Assert.HasCount(1, shapes);
        Assert.IsTrue(shapes[0].TouchesBorder);
        Assert.IsEmpty(ObjectShapes.Measure(new ImageBuffer<uint>(ImageShape.Of2D(10, 10))));
        Assert.ThrowsExactly<ArgumentException>(() => ObjectShapes.Measure(new ImageBuffer<uint>(ImageShape.Of3D(2, 5, 5))));
    }
}
