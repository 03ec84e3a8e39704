using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Turns a raw image into what training sees: volumes with a recorded anisotropic voxel size resampled to cubic voxels
/// (<see cref="IsotropicVolumes"/>), normalised to [-1, 1] and resized to the working scale.
/// </summary>
internal static class TrainingImagePreparation
{
    /// <summary>Resamples (volumes), normalises and rescales <paramref name="raw"/>.</summary>
    public static ImageBuffer<float> Prepare(ImageBuffer<float> raw, IntensityNormalizerOptions normalization, double scale)
    {
        var normalized = IntensityNormalizer.Normalize(IsotropicVolumes.ToIsotropic(raw), normalization);
        return scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
    }
}
