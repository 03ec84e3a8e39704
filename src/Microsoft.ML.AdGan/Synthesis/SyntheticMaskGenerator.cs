using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Draws random non-overlapping ellipses (2D) or ellipsoids (3D) into coded masks, the domain B of AD-GAN
/// (the AD-GAN paper's recipe). Thread-safe: <see cref="Generate(long)"/> depends only on the options and the index.
/// </summary>
/// <remarks>
/// Per patch: n ~ U{CountPerPatch}; repeatedly draw a candidate (centre uniform over the patch's pixel area, so it
/// may be cut by the border; semi-axes and rotation from the priors) and accept it when none of its pixels is
/// already owned by an accepted one (touching is allowed); stop at n accepted or after
/// <see cref="SyntheticMaskOptions.MaxConsecutiveRejections"/> rejections in a row. Only each candidate's bounding
/// box is visited, and the label map serves as the occupancy map. 3-level coding: per ellipse, the Euclidean
/// distance of each pixel to the nearest pixel outside that (whole, unclipped) ellipse, divided by its maximum
/// over the ellipse; below 0.5 is the ring (127), the rest the core (255). The patch border is not an edge.
/// </remarks>
public sealed class SyntheticMaskGenerator
{
    private readonly SyntheticMaskOptions _options;
    private long _next;

    /// <summary>Creates a generator; the options are validated and copied.</summary>
    public SyntheticMaskGenerator(SyntheticMaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options in use.</summary>
    public SyntheticMaskOptions Options => _options.Clone();

    /// <summary>The next patch of the sequence: the i-th call returns the same patch as <c>Generate(i)</c> (i from 0).</summary>
    public SyntheticMaskPatch Generate() => Generate(Interlocked.Increment(ref _next) - 1);

    /// <summary>Patch number <paramref name="index"/> of this seed's sequence; the same index always gives the same patch.</summary>
    public SyntheticMaskPatch Generate(long index)
    {
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(index), index, "The patch index must not be negative.");
        var random = new Random(SeedMixer.Mix(_options.Seed, index));
        var shape = _options.PatchShape;
        var labels = new ImageBuffer<uint>(shape);
        int target = random.Next(_options.CountPerPatch.Min, _options.CountPerPatch.Max + 1);
        var accepted = new List<SyntheticEllipse>(target);
        int rejections = 0;
        bool stopped = false;
        while (accepted.Count < target)
        {
            var candidate = Draw(random, accepted.Count + 1);
            if (EllipseRaster.Overlaps(candidate, labels))
            {
                if (++rejections >= _options.MaxConsecutiveRejections)
                {
                    stopped = true;
                    break;
                }

                continue;
            }

            rejections = 0;
            EllipseRaster.Paint(candidate, labels, (uint)candidate.Label);
            accepted.Add(candidate);
        }

        var mask = _options.Coding == SyntheticMaskCoding.ThreeLevel
            ? EllipseRaster.ThreeLevel(accepted, shape)
            : EllipseRaster.Semantic(labels);
        return new SyntheticMaskPatch(index, mask, labels, target, accepted, stopped);
    }

    /// <summary>An endless reproducible sequence of patches starting at <paramref name="firstIndex"/>.</summary>
    public IEnumerable<SyntheticMaskPatch> Sequence(long firstIndex = 0)
    {
        for (long i = firstIndex; ; i++)
            yield return Generate(i);
    }

    private SyntheticEllipse Draw(Random random, int label)
    {
        var shape = _options.PatchShape;
        double y = random.NextDouble() * shape.Height - 0.5;
        double x = random.NextDouble() * shape.Width - 0.5;
        int a = DrawSemiAxis(random, _options.SemiAxis);
        double e = DrawUniform(random, _options.Eccentricity);
        int b = MinorAxis(a, e);
        if (!shape.Is3D)
            return SyntheticEllipse.Create2D(label, y, x, a, b, e, random.NextDouble() * Math.PI);

        double z = random.NextDouble() * shape.Depth - 0.5;
        double e2 = DrawUniform(random, _options.Eccentricity);
        int c = MinorAxis(a, e2);
        return SyntheticEllipse.Create3D(label, z, y, x, a, b, c, e, e2, RandomRotation(random));
    }

    /// <summary>a = floor(U[min, max)), the reference's int(uniform(a_min, a_max)); min when min equals max.</summary>
    internal static int DrawSemiAxis(Random random, (int Min, int Max) range)
    {
        if (range.Max == range.Min)
            return range.Min;
        int a = (int)Math.Floor(range.Min + random.NextDouble() * (range.Max - range.Min));
        return Math.Min(a, range.Max - 1);
    }

    /// <summary>U[min, max).</summary>
    internal static double DrawUniform(Random random, (double Min, double Max) range)
        => range.Min + random.NextDouble() * (range.Max - range.Min);

    /// <summary>b = max(1, floor(sqrt(1 - e^2) a)).</summary>
    internal static int MinorAxis(int a, double e) => Math.Max(1, (int)(Math.Sqrt(1 - e * e) * a));

    /// <summary>A uniformly distributed rotation (Shoemake's method), as a unit quaternion (W, X, Y, Z).</summary>
    internal static (double W, double X, double Y, double Z) RandomRotation(Random random)
    {
        double u1 = random.NextDouble(), u2 = random.NextDouble() * 2 * Math.PI, u3 = random.NextDouble() * 2 * Math.PI;
        double s1 = Math.Sqrt(1 - u1), s2 = Math.Sqrt(u1);
        return (s2 * Math.Cos(u3), s1 * Math.Sin(u2), s1 * Math.Cos(u2), s2 * Math.Sin(u3));
    }
}
