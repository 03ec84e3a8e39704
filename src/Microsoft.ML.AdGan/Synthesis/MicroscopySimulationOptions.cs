using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>
/// Settings of the simulated widefield fluorescence microscopy (nuclear stain) with exact instance labels.
/// Defaults are calibrated on S-BSST265 "normal (HaCaT) cellline grown" images (csv: BG 19-41, FG 91-130, S/N 2.8-4.8):
/// background 27 and foreground 114 grey levels (S/N 4.2, like normal_0), pixel noise about 1.6 levels on the background
/// (measured 1.1-2.2 on the real images), 512 x 512, 8-bit. Intensity levels are on the 0-255 scale; a 16-bit output is the
/// same image multiplied by 257.
/// </summary>
public sealed class MicroscopySimulationOptions
{
    /// <summary>Image size, 2D (H, W) or 3D (D, H, W). Default 512 x 512.</summary>
    public ImageShape Shape { get; set; } = ImageShape.Of2D(512, 512);

    /// <summary>Semi-major axis range of the nuclei in pixels (Min inclusive, Max exclusive, drawn as the masks). Default (16, 28).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (16, 28);

    /// <summary>Target number of nuclei per image, inclusive. Default (35, 70).</summary>
    public (int Min, int Max) CountPerImage { get; set; } = (35, 70);

    /// <summary>Eccentricity range of the nuclei, within [0, 1). Default (0.2, 0.7).</summary>
    public (double Min, double Max) Eccentricity { get; set; } = (0.2, 0.7);

    /// <summary>Relative amplitude of the smooth random perturbation of each boundary (0 = exact ellipses). Default 0.06.</summary>
    public double BoundaryRoughness { get; set; } = 0.06;

    /// <summary>Probability that a nucleus is placed touching an already placed one (as close as the labels allow, up to 3 px apart). Default 0.3.</summary>
    public double TouchingFraction { get; set; } = 0.3;

    /// <summary>Placement stops after this many rejected candidates in a row. Default 100.</summary>
    public int MaxConsecutiveRejections { get; set; } = 100;

    /// <summary>Target mean intensity of the background (label 0), grey levels 0-255. Default 27.</summary>
    public double BackgroundLevel { get; set; } = 27;

    /// <summary>Target mean intensity of the nuclei (label &gt; 0), grey levels 0-255. Default 114.</summary>
    public double ForegroundLevel { get; set; } = 114;

    /// <summary>Standard deviation of the log of each nucleus' brightness gain (log-normal, mean 1). Default 0.25.</summary>
    public double GainSpread { get; set; } = 0.25;

    /// <summary>Relative amplitude of the smooth internal texture (chromatin). Default 0.2.</summary>
    public double TextureAmplitude { get; set; } = 0.2;

    /// <summary>Spatial scale (Gaussian sigma, pixels) of the texture. Default 2.</summary>
    public double TextureScale { get; set; } = 2;

    /// <summary>Relative brightness loss from the centre to the edge of a nucleus (thickness shading). Default 0.2.</summary>
    public double EdgeDarkening { get; set; } = 0.2;

    /// <summary>Relative amplitude of the low-frequency illumination gradient (multiplies everything). Default 0.15.</summary>
    public double IlluminationVariation { get; set; } = 0.15;

    /// <summary>Sigma in pixels of the Gaussian PSF in X and Y. Default 1.5.</summary>
    public double PsfSigma { get; set; } = 1.5;

    /// <summary>Sigma in slices of the Gaussian PSF along Z (3D only; larger than in-plane). Default 3.</summary>
    public double PsfSigmaZ { get; set; } = 3;

    /// <summary>Fraction of the nuclear signal spread as out-of-focus haze. Default 0.05.</summary>
    public double OutOfFocusFraction { get; set; } = 0.05;

    /// <summary>Sigma in pixels of the out-of-focus haze. Default 8.</summary>
    public double OutOfFocusSigma { get; set; } = 8;

    /// <summary>3D only: fraction of the nuclear signal lost at the deepest slice (exponential decay with z). Default 0.3.</summary>
    public double DepthAttenuation { get; set; } = 0.3;

    /// <summary>Detected photons per grey level (Poisson noise: higher is cleaner). Default 16.</summary>
    public double PhotonsPerLevel { get; set; } = 16;

    /// <summary>Gaussian read noise, standard deviation in grey levels. Default 0.6.</summary>
    public double ReadNoise { get; set; } = 0.6;

    /// <summary>8 (values 0-255) or 16 (values 0-65535, the 8-bit scale times 257). Default 8.</summary>
    public int BitDepth { get; set; } = 8;

    /// <summary>Seed: equal seeds give equal images. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Nuclei per image, inclusive, made <see cref="BrightGain"/> times brighter than the rest (mitotic or apoptotic ones);
    /// <see cref="ForegroundLevel"/> is then the mean of the others, and the bright ones may saturate. Default (0, 0).
    /// </summary>
    public (int Min, int Max) BrightNuclei { get; set; } = (0, 0);

    /// <summary>Signal (above the background) of a bright nucleus relative to an ordinary one, drawn uniformly. Default (10, 20).</summary>
    public (double Min, double Max) BrightGain { get; set; } = (10, 20);

    /// <summary>Standard deviation of the log of a smooth multiplicative background pattern (uneven background; 0: flat). Default 0.</summary>
    public double BackgroundVariation { get; set; }

    /// <summary>Spatial scale (Gaussian sigma, pixels) of the background pattern. Default 40.</summary>
    public double BackgroundScale { get; set; } = 40;

    /// <summary>Unlabelled debris specks per image, inclusive, placed on the background. Default (0, 0).</summary>
    public (int Min, int Max) DebrisCount { get; set; } = (0, 0);

    /// <summary>Radius range of the debris in pixels. Default (1, 4).</summary>
    public (double Min, double Max) DebrisRadius { get; set; } = (1, 4);

    /// <summary>Signal of a debris speck relative to an ordinary nucleus, drawn uniformly. Default (0.5, 3).</summary>
    public (double Min, double Max) DebrisGain { get; set; } = (0.5, 3);

    /// <summary>Dark nucleoli per nucleus, inclusive. Default (0, 0).</summary>
    public (int Min, int Max) NucleoliPerNucleus { get; set; } = (0, 0);

    /// <summary>Nucleolus radius relative to its nucleus' semi-minor axis, drawn uniformly. Default (0.12, 0.25).</summary>
    public (double Min, double Max) NucleolusSize { get; set; } = (0.12, 0.25);

    /// <summary>Fraction of the nuclear signal missing at the centre of a nucleolus. Default 0.6.</summary>
    public double NucleolusContrast { get; set; } = 0.6;

    /// <summary>
    /// Dim nuclei beside a few very bright ones, as in cultured cells with mitotic or apoptotic nuclei: 2-4 nuclei per image
    /// 10-20 times brighter than the rest, ordinary nuclei of uneven brightness only 12 grey levels above a patchy background,
    /// debris, 16-bit; 512 x 512, semi-axes 12-20 px.
    /// </summary>
    public static MicroscopySimulationOptions DimBesideBright(int seed = 1) => new()
    {
        SemiAxis = (12, 20),
        CountPerImage = (30, 50),
        BackgroundLevel = 10,
        ForegroundLevel = 22,
        GainSpread = 0.35,
        BrightNuclei = (2, 4),
        BrightGain = (10, 20),
        BackgroundVariation = 0.3,
        DebrisCount = (10, 25),
        BitDepth = 16,
        Seed = seed,
    };

    /// <summary>
    /// Large, elongated, textured nuclei with dark nucleoli and ten-fold brightness differences (as embryonic stem-cell nuclei):
    /// 512 x 512, semi-axes 30-48 px, eccentricity 0.5-0.9, 1-4 nucleoli each (a sixth to a third of the minor semi-axis,
    /// 70% darker at their centre), strong texture, half of them touching.
    /// </summary>
    public static MicroscopySimulationOptions LargeNuclei(int seed = 1) => new()
    {
        SemiAxis = (30, 48),
        CountPerImage = (10, 18),
        Eccentricity = (0.5, 0.9),
        TouchingFraction = 0.5,
        GainSpread = 0.6,
        TextureAmplitude = 0.35,
        TextureScale = 3,
        NucleoliPerNucleus = (1, 4),
        NucleolusSize = (0.15, 0.3),
        NucleolusContrast = 0.7,
        Seed = seed,
    };

    /// <summary>A copy of these options.</summary>
    public MicroscopySimulationOptions Clone() => (MicroscopySimulationOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option and its value.</summary>
    public void Validate()
    {
        if (Shape.Dimensions is not (2 or 3))
            throw new ArgumentException($"{nameof(Shape)} must be a 2D or 3D shape (it is uninitialised).", nameof(Shape));
        if (Shape.Length > int.MaxValue)
            throw new ArgumentException($"{nameof(Shape)} {Shape} has more than {int.MaxValue} voxels.", nameof(Shape));
        if (SemiAxis.Min < 1 || SemiAxis.Max < SemiAxis.Min)
            throw new ArgumentException($"{nameof(SemiAxis)} ({SemiAxis.Min}, {SemiAxis.Max}) must satisfy 1 <= Min <= Max.", nameof(SemiAxis));
        if (CountPerImage.Min < 0 || CountPerImage.Max < CountPerImage.Min)
            throw new ArgumentException($"{nameof(CountPerImage)} ({CountPerImage.Min}, {CountPerImage.Max}) must satisfy 0 <= Min <= Max.", nameof(CountPerImage));
        if (!(Eccentricity.Min >= 0 && Eccentricity.Max < 1 && Eccentricity.Min <= Eccentricity.Max))
            throw new ArgumentException($"{nameof(Eccentricity)} ({Eccentricity.Min}, {Eccentricity.Max}) must satisfy 0 <= Min <= Max < 1.", nameof(Eccentricity));
        if (MaxConsecutiveRejections < 1)
            throw new ArgumentException($"{nameof(MaxConsecutiveRejections)} must be at least 1, got {MaxConsecutiveRejections}.", nameof(MaxConsecutiveRejections));
        if (BitDepth is not (8 or 16))
            throw new ArgumentException($"{nameof(BitDepth)} must be 8 or 16, got {BitDepth}.", nameof(BitDepth));
        if (!(BackgroundLevel >= 0 && BackgroundLevel < 255))
            throw new ArgumentException($"{nameof(BackgroundLevel)} must lie in [0, 255), got {BackgroundLevel}.", nameof(BackgroundLevel));
        if (!(ForegroundLevel > BackgroundLevel && ForegroundLevel <= 255))
            throw new ArgumentException($"{nameof(ForegroundLevel)} must lie in ({nameof(BackgroundLevel)} = {BackgroundLevel}, 255], got {ForegroundLevel}.", nameof(ForegroundLevel));
        if (!(PhotonsPerLevel > 0) || double.IsInfinity(PhotonsPerLevel))
            throw new ArgumentException($"{nameof(PhotonsPerLevel)} must be positive and finite, got {PhotonsPerLevel}.", nameof(PhotonsPerLevel));
        RequireFraction(BoundaryRoughness, 0, 0.5, nameof(BoundaryRoughness));
        RequireFraction(TouchingFraction, 0, 1, nameof(TouchingFraction));
        RequireFraction(GainSpread, 0, 2, nameof(GainSpread));
        RequireFraction(TextureAmplitude, 0, 1, nameof(TextureAmplitude));
        RequireFraction(EdgeDarkening, 0, 1, nameof(EdgeDarkening));
        RequireFraction(IlluminationVariation, 0, 0.9, nameof(IlluminationVariation));
        RequireFraction(OutOfFocusFraction, 0, 1, nameof(OutOfFocusFraction));
        RequireFraction(DepthAttenuation, 0, 0.99, nameof(DepthAttenuation));
        RequireFraction(TextureScale, 0, 1000, nameof(TextureScale));
        RequireFraction(PsfSigma, 0, 1000, nameof(PsfSigma));
        RequireFraction(PsfSigmaZ, 0, 1000, nameof(PsfSigmaZ));
        RequireFraction(OutOfFocusSigma, 0, 1000, nameof(OutOfFocusSigma));
        RequireFraction(ReadNoise, 0, 1000, nameof(ReadNoise));
        RequireCounts(BrightNuclei, nameof(BrightNuclei));
        RequireCounts(DebrisCount, nameof(DebrisCount));
        RequireCounts(NucleoliPerNucleus, nameof(NucleoliPerNucleus));
        RequireRange(BrightGain, 0, 1000, nameof(BrightGain));
        RequireRange(DebrisRadius, 0.5, 1000, nameof(DebrisRadius));
        RequireRange(DebrisGain, 0, 1000, nameof(DebrisGain));
        RequireRange(NucleolusSize, 0, 1, nameof(NucleolusSize));
        RequireFraction(NucleolusContrast, 0, 1, nameof(NucleolusContrast));
        RequireFraction(BackgroundVariation, 0, 2, nameof(BackgroundVariation));
        RequireFraction(BackgroundScale, 0.5, 1000, nameof(BackgroundScale));
    }

    private static void RequireCounts((int Min, int Max) range, string name)
    {
        if (range.Min < 0 || range.Max < range.Min)
            throw new ArgumentException($"{name} ({range.Min}, {range.Max}) must satisfy 0 <= Min <= Max.", name);
    }

    private static void RequireRange((double Min, double Max) range, double min, double max, string name)
    {
        if (!(range.Min >= min && range.Max <= max && range.Min <= range.Max))
            throw new ArgumentException($"{name} ({range.Min}, {range.Max}) must satisfy {min} <= Min <= Max <= {max}.", name);
    }

    private static void RequireFraction(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentException($"{name} must lie in [{min}, {max}], got {value}.", name);
    }
}
