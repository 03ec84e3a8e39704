using Microsoft.ML.AdGan.Inference;

namespace Microsoft.ML;

/// <summary>MLContext catalog extensions of the AD-GAN estimator.</summary>
public static class AdGanCatalog
{
    /// <summary>Trains AD-GAN on the image column and segments it (see <see cref="AdGanSegmentationEstimator"/>).</summary>
    public static AdGanSegmentationEstimator SegmentNucleiWithAdGan(this TransformsCatalog catalog, AdGanSegmentationEstimator.Options options)
        => new(catalog, options);
}
