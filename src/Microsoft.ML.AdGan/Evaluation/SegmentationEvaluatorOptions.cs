using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>Options of <see cref="SegmentationEvaluator"/>.</summary>
public sealed class SegmentationEvaluatorOptions
{
    /// <summary>How truth maps are read. Default: <see cref="SegmentationInputKind.Instance"/>.</summary>
    public SegmentationInputKind TruthKind { get; set; } = SegmentationInputKind.Instance;

    /// <summary>How predicted maps are read. Default: <see cref="SegmentationInputKind.Instance"/>.</summary>
    public SegmentationInputKind PredictedKind { get; set; } = SegmentationInputKind.Instance;

    /// <summary>Connectivity that makes objects of binary masks. Default: <see cref="Connectivity.Full"/> (8 in 2D, 26 in 3D).</summary>
    public Connectivity BinaryConnectivity { get; set; } = Connectivity.Full;
}
