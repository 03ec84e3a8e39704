using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A model's student network as the segmentation pipeline's head: tanh of the student's logits, labelled as
/// <see cref="StudentLabeling"/> says for the student's recorded decoding. The student has no normalisation layers, so it
/// decodes each tile on its own (one pass whatever the tiling's statistics). Holds no per-call state.
/// </summary>
internal sealed class StudentHead : ISegmentationHead
{
    /// <summary>Smallest side the student takes (it pads any tile to a multiple of its downsampling itself).</summary>
    public const int MinimumSide = 1;

    private readonly AdGanStudent _student;

    /// <summary>The head of <paramref name="student"/> (which stays owned by the caller).</summary>
    public StudentHead(AdGanStudent student)
    {
        _student = student;
        var device = student.Network.parameters().First().device;
        // No tile padding: the student pads any size itself (replicate), which is what its ONNX export does too.
        Network = new TorchTileNetwork(Forward, poolsImageStatistics: false, device, MinimumSide, sizeMultiple: 1);
    }

    /// <inheritdoc/>
    public ITileNetwork Network { get; }

    /// <inheritdoc/>
    public InstanceLabelOptions LabelOptions(AdGanInferenceSettings settings) => StudentLabeling.For(settings, _student.Settings.Decoding);

    private Tensor Forward(Tensor x, IInstanceNormStatistics? statistics) => _student.Segment(x);
}
