using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// What a trained model gives the segmentation pipeline: the network to run on normalised working-scale tiles and the
/// labelling its decoded maps call for. The pipeline asks the model for its head (<see cref="AdGanSegmentationModel.Head"/>)
/// rather than assuming the generator, so a model can carry another network (a smaller distilled one with its own output
/// coding) and say how its output is labelled.
/// </summary>
internal interface ISegmentationHead
{
    /// <summary>The network that maps a normalised working-scale tile to a decoded tile.</summary>
    ITileNetwork Network { get; }

    /// <summary>A new copy of the labelling options the decoded maps call for under <paramref name="settings"/>.</summary>
    InstanceLabelOptions LabelOptions(AdGanInferenceSettings settings);
}
