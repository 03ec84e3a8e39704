using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Tools.Reporting;

/// <summary>Layout and flagging rules of a <see cref="SegmentationReport"/>.</summary>
public sealed class SegmentationReportOptions
{
    /// <summary>Title of the page. Default "Nuclei segmentation report".</summary>
    public string Title { get; set; } = "Nuclei segmentation report";

    /// <summary>Longest side of a thumbnail in pixels. Default 240.</summary>
    public int ThumbnailSize { get; set; } = 240;

    /// <summary>Thumbnails per page; larger folders get further pages. Default 120.</summary>
    public int ImagesPerPage { get; set; } = 120;

    /// <summary>Also write each overlay at full size (the thumbnail links to it). Default true.</summary>
    public bool WriteFullOverlays { get; set; } = true;

    /// <summary>Fewest images for the rules that compare an image with its folder (many nuclei, large nuclei). Default 5.</summary>
    public int MinImagesForFolderRules { get; set; } = 5;

    /// <summary>Flag an image with more than this many times the folder's median nucleus count. Default 3.</summary>
    public double ManyNucleiFactor { get; set; } = 3;

    /// <summary>
    /// Flag an image whose median nucleus size is above this many times the typical image's (the median of the images'
    /// medians), or whose nuclei include at least <see cref="LargeNucleusShare"/> above this many times its own median. Default 4.
    /// </summary>
    public double LargeNucleusFactor { get; set; } = 4;

    /// <summary>Share of an image's nuclei (of 10 or more) above <see cref="LargeNucleusFactor"/> times its median that flags it. Default 0.05.</summary>
    public double LargeNucleusShare { get; set; } = 0.05;

    /// <summary>Flag an image whose decoded-map foreground (or label foreground) and Otsu foreground have a lower Dice. Default 0.5.</summary>
    public double MinForegroundDice { get; set; } = 0.5;

    /// <summary>Decoded-map values above this are foreground. Default: <see cref="InstanceLabelOptions.ForegroundThreshold"/>'s default.</summary>
    public float DecodedForegroundThreshold { get; set; } = new InstanceLabelOptions().ForegroundThreshold;

    /// <summary>Blur before the image's own Otsu threshold. Default: <see cref="ThresholdSegmentationOptions.BlurSigma"/>'s default.</summary>
    public double ThresholdBlurSigma { get; set; } = new ThresholdSegmentationOptions().BlurSigma;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
        if (ThumbnailSize is < 32 or > 2048)
            throw new ArgumentOutOfRangeException(nameof(ThumbnailSize), ThumbnailSize, "ThumbnailSize must be between 32 and 2048 pixels.");
        if (ImagesPerPage < 1)
            throw new ArgumentOutOfRangeException(nameof(ImagesPerPage), ImagesPerPage, "ImagesPerPage must be at least 1.");
        if (MinImagesForFolderRules < 2)
            throw new ArgumentOutOfRangeException(nameof(MinImagesForFolderRules), MinImagesForFolderRules, "MinImagesForFolderRules must be at least 2.");
        if (!(ManyNucleiFactor > 1) || !(LargeNucleusFactor > 1))
            throw new ArgumentOutOfRangeException(nameof(ManyNucleiFactor), $"ManyNucleiFactor ({ManyNucleiFactor}) and LargeNucleusFactor ({LargeNucleusFactor}) must be above 1.");
        if (!(LargeNucleusShare is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(LargeNucleusShare), LargeNucleusShare, "LargeNucleusShare must be above 0 and at most 1.");
        if (!(MinForegroundDice is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinForegroundDice), MinForegroundDice, "MinForegroundDice must be between 0 and 1.");
        if (!(ThresholdBlurSigma >= 0))
            throw new ArgumentOutOfRangeException(nameof(ThresholdBlurSigma), ThresholdBlurSigma, "ThresholdBlurSigma must not be negative.");
    }
}
