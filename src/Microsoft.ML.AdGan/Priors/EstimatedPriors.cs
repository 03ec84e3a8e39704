using System.Globalization;
using System.Text;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// Synthetic-mask priors estimated from unlabeled images by <see cref="PriorEstimator"/>: the recommended working scale and,
/// at that scale, the semi-axis range and the nuclei per patch, with the measured statistics they come from. Immutable;
/// saved and loaded as a small JSON file (<see cref="Save"/>, <see cref="Load"/>).
/// </summary>
public sealed class EstimatedPriors
{
    internal EstimatedPriors(int patchSize, double? targetRadius, double imageScale, (int Min, int Max) semiAxis, (int Min, int Max) countPerPatch,
        SemiAxisStatistics measured, CountStatistics counts, IReadOnlyList<ImagePriorSummary> images)
    {
        PatchSize = patchSize;
        TargetRadius = targetRadius;
        ImageScale = imageScale;
        SemiAxis = semiAxis;
        CountPerPatch = countPerPatch;
        Measured = measured;
        Counts = counts;
        Images = images.ToArray();
    }

    /// <summary>Side in pixels of the square training patch at the working scale that <see cref="CountPerPatch"/> refers to.</summary>
    public int PatchSize { get; }

    /// <summary>The requested median semi-axis at the working scale (null: the images' own scale was kept).</summary>
    public double? TargetRadius { get; }

    /// <summary>Recommended factor from the images' pixels to the working scale (target radius / measured median; 1 without a target).</summary>
    public double ImageScale { get; }

    /// <summary>Recommended semi-major axis range in pixels at the working scale: Min inclusive, Max exclusive, as <see cref="SyntheticMaskOptions.SemiAxis"/>.</summary>
    public (int Min, int Max) SemiAxis { get; }

    /// <summary>Recommended nuclei per patch, both ends inclusive, as <see cref="SyntheticMaskOptions.CountPerPatch"/>.</summary>
    public (int Min, int Max) CountPerPatch { get; }

    /// <summary>Pooled semi-axis statistics of every measured nucleus, in the images' own pixels.</summary>
    public SemiAxisStatistics Measured { get; }

    /// <summary><see cref="Measured"/> at the working scale (multiplied by <see cref="ImageScale"/>).</summary>
    public SemiAxisStatistics MeasuredAtScale => Measured.Scaled(ImageScale);

    /// <summary>Nuclei per patch over all patch positions, at the working scale.</summary>
    public CountStatistics Counts { get; }

    /// <summary>Number of nuclei whose semi-axis was measured (border objects and size outliers excluded).</summary>
    public int ObjectsMeasured => Measured.Count;

    /// <summary>Per-image summaries, in reading order.</summary>
    public IReadOnlyList<ImagePriorSummary> Images { get; }

    /// <summary>
    /// Mask options with these priors: a copy of <paramref name="template"/> (null: defaults) with <see cref="SyntheticMaskOptions.SemiAxis"/>,
    /// <see cref="SyntheticMaskOptions.CountPerPatch"/> and a 2D <see cref="SyntheticMaskOptions.PatchShape"/> of PatchSize squared.
    /// </summary>
    public SyntheticMaskOptions ToMaskOptions(SyntheticMaskOptions? template = null)
    {
        var options = template?.Clone() ?? new SyntheticMaskOptions();
        ApplyTo(options);
        return options;
    }

    /// <summary>Writes SemiAxis, CountPerPatch and the PatchSize x PatchSize patch shape into <paramref name="options"/> (other settings kept).</summary>
    public void ApplyTo(SyntheticMaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SemiAxis = SemiAxis;
        options.CountPerPatch = CountPerPatch;
        options.PatchShape = ImageShape.Of2D(PatchSize, PatchSize);
    }

    /// <summary>Saves the priors as indented JSON (see <see cref="Load"/>); throws <see cref="IOException"/> naming the file when it cannot.</summary>
    public void Save(string path) => PriorsFile.Save(this, path);

    /// <summary>Loads priors saved by <see cref="Save"/>; throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static EstimatedPriors Load(string path) => PriorsFile.Load(path);

    /// <summary>A table: one row per image, the pooled statistics, and the recommended scale and ranges.</summary>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string lo = Measured.LowPercentile.ToString("G3", ci), hi = Measured.HighPercentile.ToString("G3", ci);
        int nameWidth = Math.Clamp(Images.Count == 0 ? 10 : Images.Max(i => DisplayName(i.Name).Length), 10, 40);
        sb.AppendLine(string.Create(ci, $"{"image".PadRight(nameWidth)} {"size",11} {"nuclei",7} {"measured",8} {"median a",8} {"p" + lo + " a",7} {"p" + hi + " a",7}"));
        foreach (var image in Images)
        {
            var s = image.SemiAxis;
            string name = DisplayName(image.Name);
            if (name.Length > nameWidth)
                name = "..." + name[^(nameWidth - 3)..];
            sb.AppendLine(string.Create(ci, $"{name.PadRight(nameWidth)} {image.Height + "x" + image.Width,11} {image.NucleusCount,7:F0} {s.Count,8} {s.Median,8:F1} {s.Low,7:F1} {s.High,7:F1}"));
        }

        var m = Measured;
        sb.AppendLine(string.Create(ci, $"{"all (image pixels)".PadRight(nameWidth)} {"",11} {Images.Sum(i => i.NucleusCount),7:F0} {m.Count,8} {m.Median,8:F1} {m.Low,7:F1} {m.High,7:F1}"));
        string target = TargetRadius is double t ? string.Create(ci, $"target median radius {t:G4} px") : "no target radius: images kept at their scale";
        sb.AppendLine(string.Create(ci, $"working scale {ImageScale:G4} ({target})"));
        sb.AppendLine(string.Create(ci, $"semi-axis at scale: median {MeasuredAtScale.Median:F1}, p{lo}-p{hi} {MeasuredAtScale.Low:F1}-{MeasuredAtScale.High:F1} -> SemiAxis = ({SemiAxis.Min}, {SemiAxis.Max}) (max exclusive)"));
        sb.Append(string.Create(ci, $"nuclei per {PatchSize}x{PatchSize} patch: median {Counts.Median:F1}, p{Counts.LowPercentile:G3}-p{Counts.HighPercentile:G3} {Counts.Low:F1}-{Counts.High:F1} over {Counts.Positions} positions -> CountPerPatch = ({CountPerPatch.Min}, {CountPerPatch.Max})"));
        return sb.ToString();
    }

    private static string DisplayName(string name)
    {
        string file = Path.GetFileName(name);
        return file.Length > 0 ? file : name;
    }
}
