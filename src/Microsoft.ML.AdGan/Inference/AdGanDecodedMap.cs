using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A decoded map at its image's size together with the scale the image went through the network at, so labelling can
/// count sizes at that image's scale (<see cref="NucleusSegmenter.Segment"/>).
/// </summary>
/// <param name="Map">The decoded map (tanh of the logits, in [-1, 1]) at the image's size.</param>
/// <param name="WorkingScale">The factor the image was resized by before the network (its per-image scale, or the model's).</param>
/// <param name="ModelScale">The model's <see cref="AdGanInferenceSettings.ImageScale"/>.</param>
public sealed record AdGanDecodedMap(ImageBuffer<float> Map, double WorkingScale, double ModelScale)
{
    /// <summary>How far per-image scaling moved this image from the model's working scale: WorkingScale / ModelScale (1 without it).</summary>
    public double ScaleFactor => WorkingScale / ModelScale;

    /// <summary>The image the map was decoded from, at the same size (raw, or normalised when decoded from a normalised image); null when not kept. Labelling refines boundaries with it (<see cref="PostProcessing.InstanceLabelOptions.ImageBoundaryBand"/>).</summary>
    public ImageBuffer<float>? Image { get; init; }
}
