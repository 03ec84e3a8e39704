using System.Globalization;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;

namespace AdGan.Cli.Commands;

/// <summary>What a segment run records about its method: the model id its shard summary carries and the settings its report lists.</summary>
internal static class SegmentSettings
{
    /// <summary><paramref name="extras"/> with the AD-GAN model's id and the settings in effect.</summary>
    public static SegmentRunOptions ForAdGan(SegmentRunOptions? extras, string modelPath, Guid modelId, AdGanInferenceSettings settings, InstanceLabelOptions labeling)
        => (extras ?? SegmentRunOptions.None) with
        {
            ModelId = modelId.ToString(),
            Settings = new KeyValuePair<string, string>[]
            {
                new("method", "AD-GAN"),
                new("model", $"{Path.GetFileName(modelPath)} ({modelId})"),
                new("dimensions", Invariant(settings.Dimensions)),
                new("working scale", Invariant($"{settings.ImageScale:0.####}") + (settings.PerImageScale ? ", per image" : string.Empty)),
                new("decoding", settings.Decoding.ToString()),
                new("test-time augmentation", settings.TestTimeAugmentation ? "on" : "off"),
                new("thresholds (foreground, core)", Invariant($"{labeling.ForegroundThreshold}, {labeling.CoreThreshold}")),
                new("image boundary band", Invariant(labeling.ImageBoundaryBand)),
                new("tiling", Invariant($"{settings.Tiling.TileSize} px, overlap {settings.Tiling.Overlap}, {settings.Tiling.Statistics} statistics")),
            },
        };

    /// <summary><paramref name="extras"/> with the threshold method's settings (its "model id" names them, so shards of other settings do not merge).</summary>
    public static SegmentRunOptions ForThreshold(SegmentRunOptions? extras, double minDiameter, double scale)
        => (extras ?? SegmentRunOptions.None) with
        {
            ModelId = Invariant($"threshold(min-diameter={minDiameter}, scale={scale})"),
            Settings = new KeyValuePair<string, string>[]
            {
                new("method", "threshold (Otsu + distance watershed)"),
                new("min diameter", Invariant(minDiameter) + " px at the working scale"),
                new("working scale", Invariant(scale)),
            },
        };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
