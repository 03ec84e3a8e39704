namespace Microsoft.ML.AdGan.Priors;

/// <summary>Per-image summary kept in <see cref="EstimatedPriors"/> and its JSON file (sizes in the image's own pixels).</summary>
/// <param name="Name">Image file path or name.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="NucleusCount">Estimated number of nuclei in the image (border objects included).</param>
/// <param name="SemiAxis">Statistics of the major semi-axes measured in the image.</param>
public sealed record ImagePriorSummary(string Name, int Height, int Width, double NucleusCount, SemiAxisStatistics SemiAxis);
