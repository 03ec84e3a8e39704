using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>Everything inference needs besides the weights; stored in every model file.</summary>
public sealed class AdGanInferenceSettings
{
    /// <summary>Base channel count (ngf) of the encoder and decoder.</summary>
    public int BaseChannels { get; set; } = 16;

    /// <summary>Hidden width of the style MLPs.</summary>
    public int StyleMlpWidth { get; set; } = 64;

    /// <summary>2 for images, 3 for volumes.</summary>
    public int Dimensions { get; set; } = 2;

    /// <summary>How the masks the model learned were coded: 3-level instance maps or semantic masks.</summary>
    public SyntheticMaskCoding Coding { get; set; } = SyntheticMaskCoding.Instance;

    /// <summary>Images are resized by this factor before the network and results resized back (1 = native size).</summary>
    public double ImageScale { get; set; } = 1.0;

    /// <summary>How raw intensities are mapped to [-1, 1].</summary>
    public IntensityNormalizerOptions Normalization { get; set; } = new();

    /// <summary>Tile geometry of inference.</summary>
    public TilingOptions Tiling { get; set; } = new();

    /// <summary>Decoded-map value above which a pixel is nucleus (ring or core). Default -0.498, the reference's 64 on 0-255.</summary>
    public float ForegroundThreshold { get; set; } = -0.498f;

    /// <summary>Decoded-map value above which a pixel is a nucleus core (3-level coding). Default 0.5.</summary>
    public float CoreThreshold { get; set; } = 0.5f;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (BaseChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(BaseChannels), BaseChannels, "BaseChannels must be at least 1.");
        if (StyleMlpWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(StyleMlpWidth), StyleMlpWidth, "StyleMlpWidth must be at least 1.");
        if (Dimensions is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "Dimensions must be 2 or 3.");
        if (!(ImageScale > 0 && ImageScale <= 16))
            throw new ArgumentOutOfRangeException(nameof(ImageScale), ImageScale, "ImageScale must lie in (0, 16].");
        if (!(ForegroundThreshold > -1 && ForegroundThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(ForegroundThreshold), ForegroundThreshold, "ForegroundThreshold must lie in (-1, 1).");
        if (!(CoreThreshold > -1 && CoreThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(CoreThreshold), CoreThreshold, "CoreThreshold must lie in (-1, 1).");
        Normalization.Validate();
        Tiling.Validate();
    }
}
