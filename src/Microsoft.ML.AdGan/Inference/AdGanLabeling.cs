using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The labelling an AD-GAN generator's decoded maps call for, as the quality benchmark chose it: at the model's working
/// scale, foreground above -0.7, touching nuclei split by a distance-transform watershed with peaks at least 7 pixels
/// apart for a model trained on nuclei of median semi-axis <see cref="ReferenceSemiAxis"/> (proportionally more or less
/// for larger or smaller trained nuclei; 7 when the model does not record its size), then for images boundaries refitted
/// at full size within <see cref="ImageBoundaryBand"/> working pixels by the image's own threshold; or, with
/// <see cref="AdGanDecoding.Cores"/>, the reference's cores-as-markers decoding.
/// </summary>
internal static class AdGanLabeling
{
    /// <summary>The boundary band the split decoding uses for images, in working-scale pixels (chosen on the quality benchmark's selection groups).</summary>
    public const double ImageBoundaryBand = 2;

    /// <summary>Median nucleus semi-axis (pixels at the working scale) of the models the split decoding was chosen on.</summary>
    public const double ReferenceSemiAxis = 12;

    private const int ReferenceMarkerDistance = 7;

    /// <summary>The labelling options of a generator with <paramref name="settings"/> (its decoding and image band applied).</summary>
    public static InstanceLabelOptions For(AdGanInferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool semanticModel = settings.Coding == SyntheticMaskCoding.Semantic;
        var options = settings.Decoding switch
        {
            AdGanDecoding.Split => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.Semantic,
                ForegroundThreshold = -0.7f,
                CoreThreshold = settings.CoreThreshold,
                MinMarkerDistance = MarkerDistance(settings.TrainedSemiAxis),
                WorkingScale = settings.ImageScale,
                ImageBoundaryBand = settings.Dimensions == 2 ? ImageBoundaryBand : 0,
            },
            AdGanDecoding.Cores => new InstanceLabelOptions
            {
                Mode = semanticModel ? InstanceLabelMode.Semantic : InstanceLabelMode.ThreeLevel,
                ForegroundThreshold = settings.ForegroundThreshold,
                CoreThreshold = settings.CoreThreshold,
                WorkingScale = settings.ImageScale,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Decoding, "Unknown AdGanDecoding."),
        };
        if (settings.ImageBoundaryBand is double band)
            options.ImageBoundaryBand = band;
        options.ImageThresholdMethod = settings.ImageThresholdMethod;
        return options;
    }

    /// <summary>
    /// The split decoding's minimum peak distance for a model trained on nuclei of median semi-axis <paramref name="trainedSemiAxis"/>
    /// (working pixels): 7 at <see cref="ReferenceSemiAxis"/>, proportional otherwise (rounded, at least 1); 7 when null.
    /// </summary>
    public static int MarkerDistance(double? trainedSemiAxis)
    {
        if (trainedSemiAxis is not double a)
            return ReferenceMarkerDistance;
        if (!(a > 0 && double.IsFinite(a)))
            throw new ArgumentOutOfRangeException(nameof(trainedSemiAxis), a, "The trained semi-axis must be positive and finite.");
        return Math.Max(1, (int)Math.Round(ReferenceMarkerDistance * a / ReferenceSemiAxis, MidpointRounding.AwayFromZero));
    }
}
