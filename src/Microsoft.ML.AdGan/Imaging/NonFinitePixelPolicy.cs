namespace Microsoft.ML.AdGan.Imaging;

/// <summary>What reading an image does with NaN and infinite pixels (<see cref="MicroscopyReadOptions.NonFinite"/>).</summary>
public enum NonFinitePixelPolicy
{
    /// <summary>Refuse the image with an error naming it and how many pixels are NaN and how many infinite (the default).</summary>
    Error = 0,

    /// <summary>Replace every NaN and infinite pixel by the image's smallest finite value and report a warning.</summary>
    ReplaceWithMinimum = 1,
}
