using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The labelling a student's maps call for, at the model's working scale with the generator's image boundary band for
/// images: <see cref="StudentDecoding.Peaks"/>, map above -0.5 as foreground and its peaks above 0 at least
/// <see cref="AdGanLabeling.MarkerDistance"/> apart as markers; <see cref="StudentDecoding.Cores"/>, the 3-level decoding
/// with cores above 0.5; <see cref="StudentDecoding.Split"/>, the generator's split decoding of the map.
/// </summary>
internal static class StudentLabeling
{
    /// <summary>Foreground threshold: the middle of the student's step from background (-1) to the nucleus' edge (0 or above).</summary>
    public const float ForegroundThreshold = -0.5f;

    /// <summary>The labelling options of a student decoded with <paramref name="decoding"/> in a model with <paramref name="settings"/>.</summary>
    public static InstanceLabelOptions For(AdGanInferenceSettings settings, StudentDecoding decoding)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = decoding switch
        {
            StudentDecoding.Peaks => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.DistancePeaks,
                ForegroundThreshold = ForegroundThreshold,
                CoreThreshold = 0,
                MinMarkerDistance = AdGanLabeling.MarkerDistance(settings.TrainedSemiAxis),
            },
            StudentDecoding.Cores => new InstanceLabelOptions
            {
                Mode = InstanceLabelMode.ThreeLevel,
                ForegroundThreshold = ForegroundThreshold,
                CoreThreshold = 0.5f,
            },
            StudentDecoding.Split => AdGanLabeling.For(settings with { Decoding = AdGanDecoding.Split }),
            _ => throw new ArgumentOutOfRangeException(nameof(decoding), decoding, "Unknown StudentDecoding."),
        };
        options.WorkingScale = settings.ImageScale;
        options.ImageBoundaryBand = settings.ImageBoundaryBand ?? (settings.Dimensions == 2 ? AdGanLabeling.ImageBoundaryBand : 0);
        return options;
    }
}
