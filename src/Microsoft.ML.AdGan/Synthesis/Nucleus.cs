using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>A simulated nucleus: an ellipse or ellipsoid whose radius is modulated by a smooth perturbation.</summary>
internal sealed class Nucleus
{
    private readonly Perturbation _perturbation;

    public Nucleus(SyntheticEllipse ellipse, Perturbation perturbation)
    {
        Ellipse = ellipse;
        _perturbation = perturbation;
    }

    public SyntheticEllipse Ellipse { get; }

    /// <summary>Distance from the centre to the boundary along the unit direction.</summary>
    public double Radius(double uz, double uy, double ux)
        => (1 + _perturbation.At(uz, uy, ux)) / Math.Sqrt(Ellipse.Level(Ellipse.Is3D ? uz : 0, uy, ux));

    /// <summary>True when it has a pixel in the image and none of its pixels is labelled yet.</summary>
    public bool FitsFree(ImageBuffer<uint> labels)
    {
        bool any = false;
        bool free = Visit(labels.Shape, (i, _) =>
        {
            any = true;
            return labels.Data[i] == 0;
        });
        return free && any;
    }

    /// <summary>Labels its pixels and writes gain x (1 - darkening x rho^2) into the emission, rho the relative radius.</summary>
    public void Paint(ImageBuffer<uint> labels, uint label, float[] emission, double gain, double darkening)
        => Visit(labels.Shape, (i, rho) =>
        {
            labels.Data[i] = label;
            emission[i] = (float)(gain * (1 - darkening * rho * rho));
            return true;
        });

    /// <summary>Calls the visitor with the flat index and relative radius of every inside pixel; stops when it returns false.</summary>
    private bool Visit(ImageShape shape, Func<int, double, bool> visitor)
    {
        var e = Ellipse;
        double grow = 1.5;
        int z0 = e.Is3D ? Math.Max(0, (int)Math.Floor(e.CenterZ - grow * e.ExtentZ - 1)) : 0;
        int z1 = e.Is3D ? Math.Min(shape.Depth - 1, (int)Math.Ceiling(e.CenterZ + grow * e.ExtentZ + 1)) : 0;
        int y0 = Math.Max(0, (int)Math.Floor(e.CenterY - grow * e.ExtentY - 1));
        int y1 = Math.Min(shape.Height - 1, (int)Math.Ceiling(e.CenterY + grow * e.ExtentY + 1));
        int x0 = Math.Max(0, (int)Math.Floor(e.CenterX - grow * e.ExtentX - 1));
        int x1 = Math.Min(shape.Width - 1, (int)Math.Ceiling(e.CenterX + grow * e.ExtentX + 1));
        for (int z = z0; z <= z1; z++)
        {
            double dz = e.Is3D ? z - e.CenterZ : 0;
            for (int y = y0; y <= y1; y++)
            {
                double dy = y - e.CenterY;
                for (int x = x0; x <= x1; x++)
                {
                    double dx = x - e.CenterX;
                    double level = e.Level(dz, dy, dx);
                    if (level > 2.25)
                        continue;
                    double r = Math.Sqrt(level);
                    double rho = r;
                    if (r > 0)
                    {
                        double length = Math.Sqrt(dz * dz + dy * dy + dx * dx);
                        double limit = 1 + _perturbation.At(dz / length, dy / length, dx / length);
                        rho = r / limit;
                    }

                    if (rho <= 1 && !visitor(shape.IndexOf(z, y, x), rho))
                        return false;
                }
            }
        }

        return true;
    }
}
