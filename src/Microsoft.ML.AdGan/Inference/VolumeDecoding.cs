using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Decoding as training saw the data: a volume with an anisotropic recorded voxel size is resampled to cubic voxels,
/// decoded in tiles, and the decoded map is returned on the volume's original grid. Images and isotropic volumes are
/// decoded as they are.
/// </summary>
public static class VolumeDecoding
{
    /// <summary>Decoded map (in [-1, 1]) of a raw image or volume, on its original grid.</summary>
    public static ImageBuffer<float> Decode(AdGanSegmentationModel model, ImageBuffer<float> rawImage)
    {
        ArgumentNullException.ThrowIfNull(model);
        return IsotropicVolumes.Apply(rawImage, model.Decode);
    }
}
