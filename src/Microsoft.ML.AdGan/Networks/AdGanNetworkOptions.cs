namespace Microsoft.ML.AdGan.Networks;

/// <summary>Shape of the AD-GAN networks (encoder, decoder, discriminator); defaults are the paper's.</summary>
public sealed class AdGanNetworkOptions
{
    /// <summary>Base channel count ngf of encoder and decoder, also the discriminator's ndf. Default 64 (paper); must be at least 1.</summary>
    public int BaseChannels { get; set; } = 64;

    /// <summary>2 for images (Conv2d...), 3 for volumes (Conv3d...). Default 2.</summary>
    public int Dimensions { get; set; } = 2;

    /// <summary>Channels of the images of both domains. Default 1 (fluorescence and masks are single-channel).</summary>
    public int ImageChannels { get; set; } = 1;

    /// <summary>Hidden width of the style MLPs. Default 64 (the authors' code; the paper's table says 256).</summary>
    public int StyleMlpWidth { get; set; } = 64;

    /// <summary>Seed of the weight initialisation (Kaiming-normal fan-in for encoder/decoder, normal(0, 0.02) for the discriminator). Default 10 (the reference's seed).</summary>
    public long Seed { get; set; } = 10;

    /// <summary>Number format of the convolutions (weights stay float32). Default <see cref="Networks.ComputePrecision.Float32"/>, the faithful path.</summary>
    public ComputePrecision ComputePrecision { get; set; } = ComputePrecision.Float32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (BaseChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(BaseChannels), BaseChannels, "BaseChannels (ngf) must be at least 1.");
        if (Dimensions is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "Dimensions must be 2 or 3.");
        if (ImageChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(ImageChannels), ImageChannels, "ImageChannels must be at least 1.");
        if (StyleMlpWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(StyleMlpWidth), StyleMlpWidth, "StyleMlpWidth must be at least 1.");
        if (!Enum.IsDefined(ComputePrecision))
            throw new ArgumentOutOfRangeException(nameof(ComputePrecision), ComputePrecision, "Unknown ComputePrecision.");
    }

    /// <summary>A copy of these options.</summary>
    public AdGanNetworkOptions Clone() => (AdGanNetworkOptions)MemberwiseClone();
}
