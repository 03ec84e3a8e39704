namespace Microsoft.ML.AdGan.Imaging;

/// <summary>The global threshold of the classical baseline.</summary>
public enum ThresholdMethod
{
    /// <summary>Otsu's threshold (256-bin histogram over the image range).</summary>
    Otsu,

    /// <summary>Li's minimum cross-entropy threshold.</summary>
    Li,

    /// <summary>Otsu's threshold of the log intensities: a few very bright nuclei do not lift it above the dim ones.</summary>
    LogOtsu,

    /// <summary>
    /// A threshold per object: the objects of <see cref="LogOtsu"/>, each then cut halfway between its inside and the
    /// background around it, so that neither a few very bright nuclei nor a low global threshold set the others' boundaries.
    /// </summary>
    Local,
}
