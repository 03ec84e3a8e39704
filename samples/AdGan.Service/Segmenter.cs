using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Synthesis;

namespace AdGan.Service;

/// <summary>
/// Segments decoded request images with one shared <see cref="AdGanSegmentationModel"/> (thread-safe, so every request
/// uses the same weights) and an <see cref="InstanceLabeler"/> configured from the model's settings.
/// </summary>
public sealed class Segmenter
{
    /// <summary>Wraps a loaded model; the labeller takes the model's coding and thresholds.</summary>
    public Segmenter(AdGanSegmentationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Labeler = new InstanceLabeler(LabelOptionsFor(model.Settings));
        ReadOptions = new MicroscopyReadOptions { FirstPageOnly = model.Settings.Dimensions == 2 };
    }

    /// <summary>The model every request runs through.</summary>
    public AdGanSegmentationModel Model { get; }

    /// <summary>The labeller turning decoded maps into instance labels.</summary>
    public InstanceLabeler Labeler { get; }

    /// <summary>How request bodies are decoded (a 2D model reads only the first page of a TIFF stack).</summary>
    public MicroscopyReadOptions ReadOptions { get; }

    /// <summary>The labelling options that match a model: its working scale and thresholds, the default AD-GAN decoding.</summary>
    public static InstanceLabelOptions LabelOptionsFor(AdGanInferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return InstanceLabelOptions.ForAdGan(settings);
    }

    /// <summary>Decodes a request body (PNG or TIFF); throws <see cref="MicroscopyImageException"/> naming <paramref name="name"/> when it cannot.</summary>
    public ImageBuffer<float> Read(byte[] body, string name) => MicroscopyImageReader.ReadImage(body, name, ReadOptions).Image;

    /// <summary>Segments a raw image into an instance label map (0 = background), labelled at the scale the image was decoded at.</summary>
    public ImageBuffer<uint> Segment(ImageBuffer<float> image) => Labeler.Label(Model.DecodeWithScale(image));
}
