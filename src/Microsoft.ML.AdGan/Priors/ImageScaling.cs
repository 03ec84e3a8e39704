using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// The factor an image is resized by before the network: <see cref="Scale"/> for every image, or, with a
/// <see cref="PerImageSemiAxis"/>, each image's own factor that brings its measured median nucleus semi-axis to that size.
/// Training and inference use the same rule, so each image reaches the network at the nucleus size the model learned.
/// </summary>
/// <param name="Scale">The collection's factor; with a per-image size also the centre of the allowed range and the fallback.</param>
/// <param name="PerImageSemiAxis">Median semi-axis in working pixels each image is brought to (null: <see cref="Scale"/> for all).</param>
internal sealed record ImageScaling(double Scale, double? PerImageSemiAxis = null)
{
    /// <summary>Largest factor by which an image's own scale may differ from <see cref="Scale"/>.</summary>
    public const double MaxChange = 4.0;

    /// <summary>Largest scale an image's own measurement may ask for.</summary>
    public const double MaxScale = 16.0;

    /// <summary>The factor for <paramref name="image"/> (2D, any intensity range; measured only with a per-image size).</summary>
    public double For(ImageBuffer<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (PerImageSemiAxis is null)
            return Scale;
        if (image.Shape.Is3D && image.Shape.Depth == 1)
            image = new ImageBuffer<float>(image.Data, ImageShape.Of2D(image.Shape.Height, image.Shape.Width));
        if (image.Shape.Is3D)
            throw new ArgumentException($"A per-image scale measures nuclei in 2D images only; the image is a {image.Shape} volume.", nameof(image));
        return ForMedian(new PriorEstimator().MeasureImage(image, "image").Statistics.Median);
    }

    /// <summary>
    /// The factor for an image whose median nucleus semi-axis is <paramref name="medianSemiAxis"/> pixels: the per-image size
    /// over it, within <see cref="MaxChange"/> of <see cref="Scale"/> (and at most <see cref="MaxScale"/>); <see cref="Scale"/>
    /// without a per-image size or for an image with no measurable nucleus.
    /// </summary>
    public double ForMedian(double medianSemiAxis)
    {
        if (PerImageSemiAxis is not double target || !(medianSemiAxis > 0) || !double.IsFinite(medianSemiAxis))
            return Scale;
        return Math.Clamp(target / medianSemiAxis, Scale / MaxChange, Math.Min(MaxScale, Scale * MaxChange));
    }
}
