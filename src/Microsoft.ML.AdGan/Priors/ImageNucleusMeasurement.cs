using System.Globalization;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// What <see cref="PriorEstimator"/> measured on one image, in the image's own pixels: the semi-axes of the objects kept for
/// the size statistics (not touching the border, not a size outlier) and the object centres used for the density.
/// </summary>
public sealed class ImageNucleusMeasurement
{
    internal ImageNucleusMeasurement(string name, int height, int width, double analysisScale, double roughRadius, double[] semiAxes,
        double[] centerY, double[] centerX, double[] weights, double lowPercentile, double highPercentile)
    {
        Name = name;
        Height = height;
        Width = width;
        AnalysisScale = analysisScale;
        RoughRadius = roughRadius;
        SemiAxes = Array.AsReadOnly(semiAxes);
        CenterY = centerY;
        CenterX = centerX;
        Weights = weights;
        ObjectCount = weights.Sum();
        Statistics = SemiAxisStatistics.From(semiAxes, lowPercentile, highPercentile);
    }

    /// <summary>The image's name (file path, or the name given with an in-memory image).</summary>
    public string Name { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Scale the image was segmented at (at most 1: large nuclei are segmented on a downscaled copy).</summary>
    public double AnalysisScale { get; }

    /// <summary>Rough nucleus radius in pixels from the first, unsplit threshold pass (sets the analysis scale and the marker spacing).</summary>
    public double RoughRadius { get; }

    /// <summary>Major semi-axes (pixels of the image) of the objects kept for the size statistics.</summary>
    public IReadOnlyList<double> SemiAxes { get; }

    /// <summary>Estimated number of nuclei in the image (border objects included, an unsplit clump counted by its area).</summary>
    public double ObjectCount { get; }

    /// <summary>Nuclei per pixel of the image.</summary>
    public double Density => ObjectCount / ((double)Height * Width);

    /// <summary>Statistics of <see cref="SemiAxes"/>.</summary>
    public SemiAxisStatistics Statistics { get; }

    internal double[] CenterY { get; }

    internal double[] CenterX { get; }

    internal double[] Weights { get; }

    /// <summary>One line: name, size, object count and semi-axis statistics.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Height}x{Width}, {ObjectCount:F0} nuclei, {Statistics}");
}
