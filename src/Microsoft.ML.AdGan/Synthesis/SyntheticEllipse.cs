namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// One accepted ellipse (2D) or ellipsoid (3D) of a synthetic patch, in pixel coordinates: pixel (z, y, x) has its
/// centre at (z, y, x); a pixel belongs to the ellipse when its centre satisfies <see cref="Contains"/>.
/// </summary>
public sealed class SyntheticEllipse
{
    // Quadratic form Q(d) = d' M d over d = (dx, dy, dz); inside when Q <= 1.
    private readonly double _mxx, _mxy, _mxz, _myy, _myz, _mzz;

    private SyntheticEllipse(int label, double z, double y, double x, int a, int b, int c, double eccentricity, double eccentricity2, double angle, (double W, double X, double Y, double Z) rotation, bool is3D)
    {
        Label = label;
        CenterZ = z;
        CenterY = y;
        CenterX = x;
        SemiAxisA = a;
        SemiAxisB = b;
        SemiAxisC = c;
        Eccentricity = eccentricity;
        Eccentricity2 = eccentricity2;
        Angle = angle;
        Rotation = rotation;
        Is3D = is3D;

        // Columns of R are the directions of the a, b, c axes in (x, y, z) image coordinates.
        var (qw, qx, qy, qz) = rotation;
        double[,] r =
        {
            { 1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw) },
            { 2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw) },
            { 2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy) },
        };
        double[] s = { a, b, is3D ? c : 1 };
        double M(int i, int j)
        {
            double sum = 0;
            for (int k = 0; k < 3; k++)
                sum += r[i, k] * r[j, k] / (s[k] * s[k]);
            return sum;
        }

        double E(int i)
        {
            double sum = 0;
            for (int k = 0; k < 3; k++)
                sum += r[i, k] * r[i, k] * s[k] * s[k];
            return Math.Sqrt(sum);
        }

        _mxx = M(0, 0);
        _mxy = M(0, 1);
        _myy = M(1, 1);
        if (is3D)
        {
            _mxz = M(0, 2);
            _myz = M(1, 2);
            _mzz = M(2, 2);
        }

        ExtentX = E(0);
        ExtentY = E(1);
        ExtentZ = is3D ? E(2) : 0;
    }

    /// <summary>Instance label of this ellipse in the patch's label map (1-based, in acceptance order).</summary>
    public int Label { get; }

    /// <summary>Centre, Z coordinate (0 for 2D).</summary>
    public double CenterZ { get; }

    /// <summary>Centre, Y coordinate.</summary>
    public double CenterY { get; }

    /// <summary>Centre, X coordinate.</summary>
    public double CenterX { get; }

    /// <summary>Semi-major axis a in pixels, drawn from the semi-axis prior.</summary>
    public int SemiAxisA { get; }

    /// <summary>Semi-minor axis b = max(1, floor(sqrt(1 - e^2) a)).</summary>
    public int SemiAxisB { get; }

    /// <summary>Third semi-axis c = max(1, floor(sqrt(1 - e2^2) a)) of an ellipsoid; 0 for a 2D ellipse.</summary>
    public int SemiAxisC { get; }

    /// <summary>Eccentricity e that gave <see cref="SemiAxisB"/>.</summary>
    public double Eccentricity { get; }

    /// <summary>Second eccentricity e2 that gave <see cref="SemiAxisC"/> (3D); 0 in 2D.</summary>
    public double Eccentricity2 { get; }

    /// <summary>2D: angle in radians of the a axis from +X towards +Y, in [0, pi); 0 in 3D.</summary>
    public double Angle { get; }

    /// <summary>Unit quaternion (W, X, Y, Z) rotating the (a, b, c) axes onto image (x, y, z); in 2D a rotation about Z by <see cref="Angle"/>.</summary>
    public (double W, double X, double Y, double Z) Rotation { get; }

    /// <summary>True for an ellipsoid.</summary>
    public bool Is3D { get; }

    /// <summary>Half-size of the axis-aligned bounding box along X.</summary>
    public double ExtentX { get; }

    /// <summary>Half-size of the axis-aligned bounding box along Y.</summary>
    public double ExtentY { get; }

    /// <summary>Half-size of the axis-aligned bounding box along Z (0 in 2D).</summary>
    public double ExtentZ { get; }

    /// <summary>True when the pixel centre (z, y, x) lies inside or on the ellipse (z is ignored in 2D).</summary>
    public bool Contains(double z, double y, double x)
        => Level(Is3D ? z - CenterZ : 0, y - CenterY, x - CenterX) <= 1;

    /// <summary>Creates a 2D ellipse.</summary>
    internal static SyntheticEllipse Create2D(int label, double y, double x, int a, int b, double eccentricity, double angle)
        => new(label, 0, y, x, a, b, 0, eccentricity, 0, angle, (Math.Cos(angle / 2), 0, 0, Math.Sin(angle / 2)), is3D: false);

    /// <summary>Creates a 3D ellipsoid; <paramref name="rotation"/> must be a unit quaternion.</summary>
    internal static SyntheticEllipse Create3D(int label, double z, double y, double x, int a, int b, int c, double eccentricity, double eccentricity2, (double W, double X, double Y, double Z) rotation)
        => new(label, z, y, x, a, b, c, eccentricity, eccentricity2, 0, rotation, is3D: true);

    /// <summary>The quadratic form at offset (dz, dy, dx) from the centre: 1 on the boundary.</summary>
    internal double Level(double dz, double dy, double dx)
    {
        double linear = _mxy * dy + _mxz * dz;
        double constant = _myy * dy * dy + 2 * _myz * dy * dz + _mzz * dz * dz;
        return _mxx * dx * dx + 2 * linear * dx + constant;
    }

    /// <summary>
    /// The run of integer X (inclusive) whose pixel centres on row (z, y) lie inside, consistent with <see cref="Contains"/>;
    /// false when the row misses the ellipse. Not clipped.
    /// </summary>
    internal bool RowSpan(int z, int y, out int x0, out int x1)
    {
        double dz = Is3D ? z - CenterZ : 0;
        double dy = y - CenterY;
        double linear = _mxy * dy + _mxz * dz;
        double constant = _myy * dy * dy + 2 * _myz * dy * dz + _mzz * dz * dz;
        double disc = linear * linear - _mxx * (constant - 1);
        x0 = 0;
        x1 = -1;
        if (disc < 0)
            return false;
        double root = Math.Sqrt(disc);
        x0 = (int)Math.Ceiling(CenterX + (-linear - root) / _mxx);
        x1 = (int)Math.Floor(CenterX + (-linear + root) / _mxx);

        // Make the run agree exactly with Level() at both ends despite rounding.
        while (x0 <= x1 && Level(dz, dy, x0 - CenterX) > 1)
            x0++;
        while (x1 >= x0 && Level(dz, dy, x1 - CenterX) > 1)
            x1--;
        if (x0 > x1)
            return false;
        while (Level(dz, dy, x0 - 1 - CenterX) <= 1)
            x0--;
        while (Level(dz, dy, x1 + 1 - CenterX) <= 1)
            x1++;
        return true;
    }
}
