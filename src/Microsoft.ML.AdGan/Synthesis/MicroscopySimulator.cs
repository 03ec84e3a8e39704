using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Simulates widefield fluorescence images of stained nuclei, 2D or 3D, with exact instance labels: for demos, tests and
/// evaluation without annotation. Thread-safe: <see cref="Simulate(long)"/> depends only on the options and the index.
/// </summary>
/// <remarks>
/// Steps: non-overlapping nuclei (ellipses/ellipsoids from the priors, smooth boundary perturbation, a fraction placed
/// touching a neighbour); emission = per-nucleus log-normal gain x edge darkening x smooth texture; Gaussian PSF (3D:
/// anisotropic) plus a wide out-of-focus haze; 3D: exponential attenuation with depth; a low-frequency illumination field
/// multiplying signal and background; the nuclear and background amplitudes are then solved so that the noise-free
/// means over label &gt; 0 and label 0 equal <see cref="MicroscopySimulationOptions.ForegroundLevel"/> and
/// <see cref="MicroscopySimulationOptions.BackgroundLevel"/>; finally Poisson photon noise (normal approximation above
/// 30 photons) plus Gaussian read noise, rounded and clipped to the bit depth.
/// </remarks>
public sealed class MicroscopySimulator
{
    /// <summary>Gaussian kernels reach three sigmas: the PSF and textures need no longer tails.</summary>
    private const double SimulatorTruncate = 3.0;

    private readonly MicroscopySimulationOptions _options;
    private long _next;

    /// <summary>Creates a simulator; the options are validated and copied.</summary>
    public MicroscopySimulator(MicroscopySimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options in use.</summary>
    public MicroscopySimulationOptions Options => _options.Clone();

    /// <summary>The next image of the sequence: the i-th call equals <c>Simulate(i)</c>.</summary>
    public SimulatedMicroscopyImage Simulate() => Simulate(Interlocked.Increment(ref _next) - 1);

    /// <summary>Image number <paramref name="index"/> of this seed's sequence.</summary>
    public SimulatedMicroscopyImage Simulate(long index)
    {
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(index), index, "The image index must not be negative.");
        var o = _options;
        var shape = o.Shape;
        var random = new Random(SeedMixer.Mix(o.Seed, index, stream: 1));
        var labels = new ImageBuffer<uint>(shape);
        var emission = new float[shape.Length];
        var nuclei = PlaceNuclei(random, labels, emission);
        int count = nuclei.Count;

        // The additions below draw from their own streams, so images without them stay as they were.
        AddNucleoli(new Random(SeedMixer.Mix(o.Seed, index, stream: 3)), nuclei, labels, emission);
        var bright = Brighten(new Random(SeedMixer.Mix(o.Seed, index, stream: 4)), nuclei, labels, emission);
        var debris = AddDebris(new Random(SeedMixer.Mix(o.Seed, index, stream: 2)), labels, emission);

        var texture = Texture(random, shape);
        for (int i = 0; i < emission.Length; i++)
        {
            if (emission[i] > 0)
                emission[i] *= Math.Max(0f, 1 + (float)o.TextureAmplitude * texture[i]);
        }

        // Optics: PSF plus out-of-focus haze, then depth attenuation.
        var haze = o.OutOfFocusFraction > 0 ? (float[])emission.Clone() : null;
        GaussianBlur.InPlace(emission, shape, shape.Is3D ? o.PsfSigmaZ : 0, o.PsfSigma, o.PsfSigma, SimulatorTruncate);
        if (haze is not null)
        {
            GaussianBlur.InPlace(haze, shape, shape.Is3D ? 2 * o.OutOfFocusSigma : 0, o.OutOfFocusSigma, o.OutOfFocusSigma, SimulatorTruncate);
            float keep = (float)(1 - o.OutOfFocusFraction), spread = (float)o.OutOfFocusFraction;
            for (int i = 0; i < emission.Length; i++)
                emission[i] = keep * emission[i] + spread * haze[i];
        }

        if (shape.Is3D && o.DepthAttenuation > 0 && shape.Depth > 1)
        {
            int plane = shape.Height * shape.Width;
            for (int z = 0; z < shape.Depth; z++)
            {
                float factor = (float)Math.Pow(1 - o.DepthAttenuation, (double)z / (shape.Depth - 1));
                for (int i = z * plane; i < (z + 1) * plane; i++)
                    emission[i] *= factor;
            }
        }

        var illumination = Illumination(random, shape);
        var background = BackgroundPattern(new Random(SeedMixer.Mix(o.Seed, index, stream: 5)), shape);
        var excluded = Excluded(labels.Data, bright, debris);
        var expected = Calibrate(emission, illumination, labels.Data, background, excluded);
        var image = new ImageBuffer<float>(Noise(random, expected), shape);
        return new SimulatedMicroscopyImage(index, image, labels, count, CountTouching(labels, count)) { BrightLabels = bright };
    }

    private List<Nucleus> PlaceNuclei(Random random, ImageBuffer<uint> labels, float[] emission)
    {
        var o = _options;
        var shape = o.Shape;
        int target = random.Next(o.CountPerImage.Min, o.CountPerImage.Max + 1);
        var placed = new List<Nucleus>(target);
        int rejections = 0;
        while (placed.Count < target && rejections < o.MaxConsecutiveRejections)
        {
            var nucleus = DrawNucleus(random, placed, labels);
            if (!nucleus.FitsFree(labels))
            {
                rejections++;
                continue;
            }

            rejections = 0;
            double gain = Math.Exp(o.GainSpread * Gaussian(random) - 0.5 * o.GainSpread * o.GainSpread);
            nucleus.Paint(labels, (uint)(placed.Count + 1), emission, gain, o.EdgeDarkening);
            placed.Add(nucleus);
        }

        return placed;
    }

    /// <summary>Darkens 0-N nucleoli per nucleus: flat-topped dark discs inside it, their signal reduced by up to the contrast.</summary>
    private void AddNucleoli(Random random, List<Nucleus> nuclei, ImageBuffer<uint> labels, float[] emission)
    {
        var o = _options;
        if (o.NucleoliPerNucleus.Max == 0 || o.NucleolusContrast == 0)
            return;
        var shape = labels.Shape;
        for (int k = 0; k < nuclei.Count; k++)
        {
            var e = nuclei[k].Ellipse;
            uint label = (uint)(k + 1);
            int n = random.Next(o.NucleoliPerNucleus.Min, o.NucleoliPerNucleus.Max + 1);
            double minor = shape.Is3D ? Math.Min(e.SemiAxisB, e.SemiAxisC) : e.SemiAxisB;
            for (int j = 0; j < n; j++)
            {
                double r = Math.Max(1, SyntheticMaskGenerator.DrawUniform(random, o.NucleolusSize) * minor);
                var (uz, uy, ux) = RandomDirection(random, shape.Is3D);
                double offset = random.NextDouble() * Math.Max(0, 0.6 * minor - r);
                double cz = e.CenterZ + uz * offset, cy = e.CenterY + uy * offset, cx = e.CenterX + ux * offset;
                ForEachInBox(shape, cz, cy, cx, 2 * r, i => labels.Data[i] == label, (i, d2) =>
                {
                    double q = d2 / (r * r);
                    emission[i] *= (float)(1 - o.NucleolusContrast * Math.Exp(-q * q));
                });
            }
        }
    }

    /// <summary>Multiplies the signal of a few randomly chosen nuclei by their bright gain; returns their labels.</summary>
    private uint[] Brighten(Random random, List<Nucleus> nuclei, ImageBuffer<uint> labels, float[] emission)
    {
        var o = _options;
        if (o.BrightNuclei.Max == 0 || nuclei.Count == 0)
            return Array.Empty<uint>();
        int n = Math.Min(nuclei.Count, random.Next(o.BrightNuclei.Min, o.BrightNuclei.Max + 1));
        var chosen = Enumerable.Range(1, nuclei.Count).Select(l => (uint)l).OrderBy(_ => random.Next()).Take(n).Order().ToArray();
        var gains = new Dictionary<uint, float>();
        foreach (uint l in chosen)
            gains[l] = (float)SyntheticMaskGenerator.DrawUniform(random, o.BrightGain);
        for (int i = 0; i < emission.Length; i++)
            if (labels.Data[i] != 0 && gains.TryGetValue(labels.Data[i], out float g))
                emission[i] *= g;
        return chosen;
    }

    /// <summary>Paints unlabelled specks on the background (soft discs); returns the mask of their pixels.</summary>
    private bool[]? AddDebris(Random random, ImageBuffer<uint> labels, float[] emission)
    {
        var o = _options;
        if (o.DebrisCount.Max == 0)
            return null;
        var shape = labels.Shape;
        var mask = new bool[emission.Length];
        int n = random.Next(o.DebrisCount.Min, o.DebrisCount.Max + 1);
        for (int j = 0; j < n; j++)
        {
            double r = SyntheticMaskGenerator.DrawUniform(random, o.DebrisRadius);
            double gain = SyntheticMaskGenerator.DrawUniform(random, o.DebrisGain);
            double cz = shape.Is3D ? random.NextDouble() * shape.Depth - 0.5 : 0;
            double cy = random.NextDouble() * shape.Height - 0.5, cx = random.NextDouble() * shape.Width - 0.5;
            ForEachInBox(shape, cz, cy, cx, r, i => labels.Data[i] == 0, (i, d2) =>
            {
                emission[i] = Math.Max(emission[i], (float)(gain * (1 - 0.5 * d2 / (r * r))));
                mask[i] = true;
            });
        }

        return mask;
    }

    /// <summary>Calls <paramref name="visit"/> with the index and squared distance of every pixel within <paramref name="radius"/> of the centre that <paramref name="accept"/>s.</summary>
    private static void ForEachInBox(ImageShape shape, double cz, double cy, double cx, double radius, Func<int, bool> accept, Action<int, double> visit)
    {
        int z0 = shape.Is3D ? Math.Max(0, (int)Math.Floor(cz - radius)) : 0, z1 = shape.Is3D ? Math.Min(shape.Depth - 1, (int)Math.Ceiling(cz + radius)) : 0;
        int y0 = Math.Max(0, (int)Math.Floor(cy - radius)), y1 = Math.Min(shape.Height - 1, (int)Math.Ceiling(cy + radius));
        int x0 = Math.Max(0, (int)Math.Floor(cx - radius)), x1 = Math.Min(shape.Width - 1, (int)Math.Ceiling(cx + radius));
        for (int z = z0; z <= z1; z++)
        {
            double dz = shape.Is3D ? z - cz : 0;
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    double d2 = dz * dz + (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    int i = shape.IndexOf(z, y, x);
                    if (d2 <= radius * radius && accept(i))
                        visit(i, d2);
                }
            }
        }
    }

    /// <summary>exp(v x smooth unit-variance noise): a patchy multiplicative background; null when flat.</summary>
    private float[]? BackgroundPattern(Random random, ImageShape shape)
    {
        double v = _options.BackgroundVariation;
        if (v == 0)
            return null;
        var t = new float[shape.Length];
        for (int i = 0; i < t.Length; i++)
            t[i] = (float)Gaussian(random);
        double s = _options.BackgroundScale;
        GaussianBlur.InPlace(t, shape, shape.Is3D ? s : 0, s, s, SimulatorTruncate);
        double sum = 0, sq = 0;
        foreach (float f in t)
        {
            sum += f;
            sq += (double)f * f;
        }

        double mean = sum / t.Length, sd = Math.Sqrt(Math.Max(sq / t.Length - mean * mean, 1e-30));
        for (int i = 0; i < t.Length; i++)
            t[i] = (float)Math.Exp(v * (t[i] - mean) / sd);
        return t;
    }

    /// <summary>Pixels the calibration ignores: bright nuclei and debris; null when there are none.</summary>
    private static bool[]? Excluded(uint[] labels, uint[] bright, bool[]? debris)
    {
        if (bright.Length == 0 && debris is null)
            return null;
        var set = bright.ToHashSet();
        var excluded = debris is null ? new bool[labels.Length] : (bool[])debris.Clone();
        if (set.Count > 0)
            for (int i = 0; i < labels.Length; i++)
                excluded[i] |= labels[i] != 0 && set.Contains(labels[i]);
        return excluded;
    }

    private Nucleus DrawNucleus(Random random, List<Nucleus> placed, ImageBuffer<uint> labels)
    {
        var o = _options;
        var shape = o.Shape;
        int a = SyntheticMaskGenerator.DrawSemiAxis(random, o.SemiAxis);
        double e = SyntheticMaskGenerator.DrawUniform(random, o.Eccentricity);
        int b = SyntheticMaskGenerator.MinorAxis(a, e);
        double e2 = shape.Is3D ? SyntheticMaskGenerator.DrawUniform(random, o.Eccentricity) : 0;
        int c = shape.Is3D ? SyntheticMaskGenerator.MinorAxis(a, e2) : 0;
        double angle = random.NextDouble() * Math.PI;
        var rotation = shape.Is3D ? SyntheticMaskGenerator.RandomRotation(random) : default;
        var perturbation = Perturbation.Draw(random, o.BoundaryRoughness);

        SyntheticEllipse At(double z, double y, double x) => shape.Is3D
            ? SyntheticEllipse.Create3D(0, z, y, x, a, b, c, e, e2, rotation)
            : SyntheticEllipse.Create2D(0, y, x, a, b, e, angle);

        if (placed.Count > 0 && random.NextDouble() < o.TouchingFraction)
        {
            // Next to a random neighbour along a random direction: the closest of a few distances whose labels do not overlap.
            var neighbour = placed[random.Next(placed.Count)];
            var (uz, uy, ux) = RandomDirection(random, shape.Is3D);
            double contact = neighbour.Radius(uz, uy, ux) + new Nucleus(At(0, 0, 0), perturbation).Radius(-uz, -uy, -ux);
            var n = neighbour.Ellipse;
            for (int step = 0; step < 5; step++)
            {
                double distance = contact + 0.75 * step;
                var candidate = new Nucleus(At(n.CenterZ + uz * distance, n.CenterY + uy * distance, n.CenterX + ux * distance), perturbation);
                if (step == 4 || candidate.FitsFree(labels))
                    return candidate;
            }
        }

        double cz = shape.Is3D ? random.NextDouble() * shape.Depth - 0.5 : 0;
        double cy = random.NextDouble() * shape.Height - 0.5;
        double cx = random.NextDouble() * shape.Width - 0.5;
        return new Nucleus(At(cz, cy, cx), perturbation);
    }

    private float[] Texture(Random random, ImageShape shape)
    {
        var t = new float[shape.Length];
        if (_options.TextureAmplitude == 0)
            return t;
        for (int i = 0; i < t.Length; i++)
            t[i] = (float)Gaussian(random);
        double s = _options.TextureScale;
        GaussianBlur.InPlace(t, shape, shape.Is3D ? s : 0, s, s, SimulatorTruncate);
        double sq = 0;
        for (int i = 0; i < t.Length; i++)
            sq += t[i] * t[i];
        float scale = sq > 0 ? (float)(1 / Math.Sqrt(sq / t.Length)) : 0;
        for (int i = 0; i < t.Length; i++)
            t[i] *= scale;
        return t;
    }

    private float[] Illumination(Random random, ImageShape shape)
    {
        // 1 + v (g . p) - v/2 |p|^2 with p in [-1, 1]^n: a random gradient plus vignetting, then mean 1.
        double v = _options.IlluminationVariation;
        double angle = random.NextDouble() * 2 * Math.PI;
        double gx = Math.Cos(angle), gy = Math.Sin(angle), gz = shape.Is3D ? 0.3 * (2 * random.NextDouble() - 1) : 0;
        var field = new float[shape.Length];
        double sum = 0;
        for (int z = 0; z < shape.Depth; z++)
        {
            double pz = shape.Depth > 1 ? 2.0 * z / (shape.Depth - 1) - 1 : 0;
            for (int y = 0; y < shape.Height; y++)
            {
                double py = shape.Height > 1 ? 2.0 * y / (shape.Height - 1) - 1 : 0;
                int row = shape.IndexOf(z, y, 0);
                for (int x = 0; x < shape.Width; x++)
                {
                    double px = shape.Width > 1 ? 2.0 * x / (shape.Width - 1) - 1 : 0;
                    double value = 1 + v * 0.5 * (gx * px + gy * py + gz * pz) - v * 0.25 * (px * px + py * py);
                    field[row + x] = (float)value;
                    sum += value;
                }
            }
        }

        float norm = (float)(field.Length / sum);
        for (int i = 0; i < field.Length; i++)
            field[i] *= norm;
        return field;
    }

    /// <summary>
    /// expected = illumination x (beta x background + alpha x emission), with alpha, beta solved for the target means over
    /// the label-0 and label &gt; 0 pixels that are not <paramref name="excluded"/> (background null: 1 everywhere).
    /// </summary>
    private float[] Calibrate(float[] emission, float[] illumination, uint[] labels, float[]? background, bool[]? excluded)
    {
        double bgI = 0, bgIE = 0, fgI = 0, fgIE = 0;
        long bg = 0, fg = 0;
        for (int i = 0; i < emission.Length; i++)
        {
            if (excluded is not null && excluded[i])
                continue;
            double il = background is null ? illumination[i] : illumination[i] * background[i], ie = illumination[i] * emission[i];
            if (labels[i] == 0)
            {
                bgI += il;
                bgIE += ie;
                bg++;
            }
            else
            {
                fgI += il;
                fgIE += ie;
                fg++;
            }
        }

        double targetBg = _options.BackgroundLevel, targetFg = _options.ForegroundLevel;
        double alpha, beta;
        if (fg == 0 || bg == 0)
        {
            beta = bg == 0 ? 0 : targetBg / (bgI / bg);
            alpha = fg == 0 ? 0 : (targetFg - beta * fgI / fg) / (fgIE / fg);
        }
        else
        {
            // [bgI bgIE; fgI fgIE] (beta, alpha) = (targetBg, targetFg), as means.
            double m11 = bgI / bg, m12 = bgIE / bg, m21 = fgI / fg, m22 = fgIE / fg;
            double det = m11 * m22 - m12 * m21;
            beta = (targetBg * m22 - m12 * targetFg) / det;
            alpha = (m11 * targetFg - m21 * targetBg) / det;
            if (beta < 0 || !double.IsFinite(beta))
            {
                beta = 0;
                alpha = targetFg / m22;
            }
        }

        var expected = new float[emission.Length];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = (float)(illumination[i] * (beta * (background is null ? 1 : background[i]) + alpha * emission[i]));
        return expected;
    }

    private float[] Noise(Random random, float[] expected)
    {
        double k = _options.PhotonsPerLevel, read = _options.ReadNoise;
        double scale = _options.BitDepth == 16 ? 257 : 1;
        double max = _options.BitDepth == 16 ? 65535 : 255;
        var result = new float[expected.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            double photons = Poisson(random, Math.Max(0, expected[i]) * k);
            double value = (photons / k + read * Gaussian(random)) * scale;
            result[i] = (float)Math.Clamp(Math.Round(value), 0, max);
        }

        return result;
    }

    private static int CountTouching(ImageBuffer<uint> labels, int count)
    {
        var touching = new bool[count + 1];
        var shape = labels.Shape;
        var d = labels.Data;
        int plane = shape.Height * shape.Width;
        for (int z = 0; z < shape.Depth; z++)
        {
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++)
                {
                    int i = shape.IndexOf(z, y, x);
                    uint l = d[i];
                    if (l == 0)
                        continue;
                    Check(x + 1 < shape.Width ? d[i + 1] : 0);
                    Check(y + 1 < shape.Height ? d[i + shape.Width] : 0);
                    Check(z + 1 < shape.Depth ? d[i + plane] : 0);

                    void Check(uint other)
                    {
                        if (other != 0 && other != l)
                            touching[l] = touching[other] = true;
                    }
                }
            }
        }

        return touching.Count(t => t);
    }

    private static (double Z, double Y, double X) RandomDirection(Random random, bool is3D)
    {
        if (!is3D)
        {
            double angle = random.NextDouble() * 2 * Math.PI;
            return (0, Math.Sin(angle), Math.Cos(angle));
        }

        double z = 2 * random.NextDouble() - 1, phi = random.NextDouble() * 2 * Math.PI, r = Math.Sqrt(1 - z * z);
        return (z, r * Math.Sin(phi), r * Math.Cos(phi));
    }

    /// <summary>Standard normal (Box-Muller).</summary>
    internal static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Poisson sample: exact (Knuth) below 30, normal approximation above.</summary>
    internal static double Poisson(Random random, double lambda)
    {
        if (lambda <= 0)
            return 0;
        if (lambda >= 30)
            return Math.Max(0, Math.Round(lambda + Math.Sqrt(lambda) * Gaussian(random)));
        double limit = Math.Exp(-lambda), p = 1;
        int n = -1;
        do
        {
            n++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return n;
    }
}
