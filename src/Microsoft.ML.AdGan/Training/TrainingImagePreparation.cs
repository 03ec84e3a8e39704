using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Turns a raw image into what training sees: volumes with a recorded anisotropic voxel size resampled to cubic voxels
/// (<see cref="IsotropicVolumes"/>), normalised to [-1, 1] and resized to the working scale (one for all images, or each image's own).
/// </summary>
internal static class TrainingImagePreparation
{
    /// <summary>Resamples (volumes), normalises and rescales <paramref name="raw"/>.</summary>
    public static ImageBuffer<float> Prepare(ImageBuffer<float> raw, IntensityNormalizerOptions normalization, double scale)
        => Prepare(raw, normalization, new ImageScaling(scale));

    /// <summary>Resamples (volumes), normalises and rescales <paramref name="raw"/> by the factor <paramref name="scaling"/> gives it.</summary>
    public static ImageBuffer<float> Prepare(ImageBuffer<float> raw, IntensityNormalizerOptions normalization, ImageScaling scaling)
    {
        var normalized = IntensityNormalizer.Normalize(IsotropicVolumes.ToIsotropic(raw), normalization);
        double scale = scaling.For(normalized);
        return scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
    }
}
