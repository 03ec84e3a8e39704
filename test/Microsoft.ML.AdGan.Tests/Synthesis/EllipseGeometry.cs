using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

/// <summary>An independent re-implementation of the ellipse membership test, from the published parameters only.</summary>
internal static class EllipseGeometry
{
    /// <summary>The normalised quadratic level (1 on the boundary) of pixel centre (z, y, x).</summary>
    public static double Level(SyntheticEllipse e, double z, double y, double x)
    {
        double dx = x - e.CenterX, dy = y - e.CenterY;
        if (!e.Is3D)
        {
            double u = dx * Math.Cos(e.Angle) + dy * Math.Sin(e.Angle);
            double v = -dx * Math.Sin(e.Angle) + dy * Math.Cos(e.Angle);
            return (u / e.SemiAxisA) * (u / e.SemiAxisA) + (v / e.SemiAxisB) * (v / e.SemiAxisB);
        }

        double dz = z - e.CenterZ;
        var (w, qx, qy, qz) = e.Rotation;

        // Rotate d by the conjugate quaternion: local = q* d q.
        var local = Rotate((w, -qx, -qy, -qz), (dx, dy, dz));
        return Sq(local.X / e.SemiAxisA) + Sq(local.Y / e.SemiAxisB) + Sq(local.Z / e.SemiAxisC);
    }

    /// <summary>True when the pixel is inside; null when it lies within rounding distance of the boundary.</summary>
    public static bool? Inside(SyntheticEllipse e, double z, double y, double x)
    {
        double level = Level(e, z, y, x);
        if (Math.Abs(level - 1) < 1e-9)
            return null;
        return level < 1;
    }

    private static (double X, double Y, double Z) Rotate((double W, double X, double Y, double Z) q, (double X, double Y, double Z) v)
    {
        // v' = q v q^-1 with v as a pure quaternion.
        var (w, x, y, z) = q;
        double tw = -x * v.X - y * v.Y - z * v.Z;
        double tx = w * v.X + y * v.Z - z * v.Y;
        double ty = w * v.Y + z * v.X - x * v.Z;
        double tz = w * v.Z + x * v.Y - y * v.X;
        return (
            -tw * x + tx * w - ty * z + tz * y,
            -tw * y + ty * w - tz * x + tx * z,
            -tw * z + tz * w - tx * y + ty * x);
    }

    private static double Sq(double v) => v * v;
}
