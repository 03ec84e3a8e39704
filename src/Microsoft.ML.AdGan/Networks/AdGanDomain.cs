namespace Microsoft.ML.AdGan.Networks;

/// <summary>The two domains of AD-GAN; the value is the domain label the style MLPs and the discriminator see.</summary>
public enum AdGanDomain
{
    /// <summary>Domain A (label 0): real fluorescence images.</summary>
    Image = 0,

    /// <summary>Domain B (label 1): synthetic masks; decoding content in this style is the segmentation.</summary>
    Mask = 1,
}
