namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>A smooth random relative radius change as a function of direction: sum of three sines of projections.</summary>
internal sealed class Perturbation
{
    private readonly (double Amplitude, double Frequency, double Phase, double Z, double Y, double X)[] _terms;

    private Perturbation((double, double, double, double, double, double)[] terms) => _terms = terms;

    /// <summary>No perturbation.</summary>
    public static Perturbation None { get; } = new(Array.Empty<(double, double, double, double, double, double)>());

    /// <summary>Draws a perturbation whose absolute value never exceeds <paramref name="roughness"/>.</summary>
    public static Perturbation Draw(Random random, double roughness)
    {
        if (roughness <= 0)
            return None;
        var terms = new (double, double, double, double, double, double)[3];
        for (int k = 0; k < terms.Length; k++)
        {
            double z = 2 * random.NextDouble() - 1, phi = random.NextDouble() * 2 * Math.PI, r = Math.Sqrt(1 - z * z);
            terms[k] = (roughness / terms.Length * random.NextDouble(), 2 + 4 * random.NextDouble(), random.NextDouble() * 2 * Math.PI, z, r * Math.Sin(phi), r * Math.Cos(phi));
        }

        return new Perturbation(terms);
    }

    /// <summary>Relative radius change along the unit direction (uz, uy, ux).</summary>
    public double At(double uz, double uy, double ux)
    {
        double sum = 0;
        foreach (var t in _terms)
            sum += t.Amplitude * Math.Sin(t.Frequency * (t.Z * uz + t.Y * uy + t.X * ux) + t.Phase);
        return sum;
    }
}
