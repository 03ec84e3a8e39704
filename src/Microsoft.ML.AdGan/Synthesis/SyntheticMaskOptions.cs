using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Priors of the synthetic masks of domain B (the AD-GAN paper's recipe). Defaults: the HeLa prior of the paper,
/// 256 x 256 patches, semi-axis [13, 18], 5 to 40 ellipses per patch, eccentricity [0.25, 0.75), semantic coding,
/// at most 100 consecutive rejections, seed 10.
/// </summary>
/// <remarks>
/// Sampling, as the reference: the target count n is uniform over the integers CountPerPatch.Min..CountPerPatch.Max
/// (both inclusive). The semi-major axis is a = floor(U[SemiAxis.Min, SemiAxis.Max)), so it is an integer in
/// SemiAxis.Min..SemiAxis.Max - 1: the maximum is exclusive, exactly like the reference's int(uniform(a_min, a_max))
/// (except when Min equals Max, then a = Min). The eccentricity is e ~ U[Eccentricity.Min, Eccentricity.Max) and the
/// semi-minor axis b = max(1, floor(sqrt(1 - e^2) a)). In 3D a second, independent eccentricity gives the third
/// semi-axis c = max(1, floor(sqrt(1 - e2^2) a)), and the ellipsoid gets a uniformly random 3D rotation.
/// </remarks>
public sealed class SyntheticMaskOptions
{
    /// <summary>Size of one patch: <see cref="ImageShape.Of2D"/> (H, W) or <see cref="ImageShape.Of3D"/> (D, H, W). Default 256 x 256.</summary>
    public ImageShape PatchShape { get; set; } = ImageShape.Of2D(256, 256);

    /// <summary>Semi-major axis range in pixels: Min inclusive, Max exclusive (as the reference draws it). Default (13, 18).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (13, 18);

    /// <summary>Target number of ellipses per patch, both ends inclusive. Default (5, 40).</summary>
    public (int Min, int Max) CountPerPatch { get; set; } = (5, 40);

    /// <summary>Eccentricity range, Min inclusive, Max exclusive, within [0, 1). Default (0.25, 0.75).</summary>
    public (double Min, double Max) Eccentricity { get; set; } = (0.25, 0.75);

    /// <summary>Semantic (0/255) or 3-level instance (0/127/255) coding. Default semantic.</summary>
    public SyntheticMaskCoding Coding { get; set; } = SyntheticMaskCoding.Semantic;

    /// <summary>A patch stops growing after this many rejected candidates in a row. Default 100.</summary>
    public int MaxConsecutiveRejections { get; set; } = 100;

    /// <summary>Seed of the generator: equal seeds give equal patches. Default 10 (the reference's).</summary>
    public int Seed { get; set; } = 10;

    /// <summary>A copy of these options.</summary>
    public SyntheticMaskOptions Clone() => (SyntheticMaskOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option and its value.</summary>
    public void Validate()
    {
        if (PatchShape.Dimensions is not (2 or 3))
            throw new ArgumentException($"{nameof(PatchShape)} must be a 2D or 3D shape (it is uninitialised).", nameof(PatchShape));
        if (PatchShape.Length > int.MaxValue)
            throw new ArgumentException($"{nameof(PatchShape)} {PatchShape} has more than {int.MaxValue} voxels.", nameof(PatchShape));
        if (SemiAxis.Min < 1)
            throw new ArgumentException($"{nameof(SemiAxis)}.Min must be at least 1 pixel, got {SemiAxis.Min}.", nameof(SemiAxis));
        if (SemiAxis.Max < SemiAxis.Min)
            throw new ArgumentException($"{nameof(SemiAxis)} ({SemiAxis.Min}, {SemiAxis.Max}): Min must not exceed Max.", nameof(SemiAxis));
        if (CountPerPatch.Min < 0)
            throw new ArgumentException($"{nameof(CountPerPatch)}.Min must not be negative, got {CountPerPatch.Min}.", nameof(CountPerPatch));
        if (CountPerPatch.Max < CountPerPatch.Min)
            throw new ArgumentException($"{nameof(CountPerPatch)} ({CountPerPatch.Min}, {CountPerPatch.Max}): Min must not exceed Max.", nameof(CountPerPatch));
        if (CountPerPatch.Max > PatchShape.Length)
            throw new ArgumentException($"{nameof(CountPerPatch)}.Max {CountPerPatch.Max} exceeds the {PatchShape.Length} pixels of a {PatchShape} patch.", nameof(CountPerPatch));
        if (!(Eccentricity.Min >= 0 && Eccentricity.Min < 1))
            throw new ArgumentException($"{nameof(Eccentricity)}.Min must lie in [0, 1), got {Eccentricity.Min}.", nameof(Eccentricity));
        if (!(Eccentricity.Max >= 0 && Eccentricity.Max < 1))
            throw new ArgumentException($"{nameof(Eccentricity)}.Max must lie in [0, 1), got {Eccentricity.Max}.", nameof(Eccentricity));
        if (Eccentricity.Max < Eccentricity.Min)
            throw new ArgumentException($"{nameof(Eccentricity)} ({Eccentricity.Min}, {Eccentricity.Max}): Min must not exceed Max.", nameof(Eccentricity));
        if (!Enum.IsDefined(Coding))
            throw new ArgumentException($"{nameof(Coding)} {(int)Coding} is not a defined coding.", nameof(Coding));
        if (MaxConsecutiveRejections < 1)
            throw new ArgumentException($"{nameof(MaxConsecutiveRejections)} must be at least 1, got {MaxConsecutiveRejections}.", nameof(MaxConsecutiveRejections));
    }
}
