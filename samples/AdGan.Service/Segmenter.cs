using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;

namespace AdGan.Service;

/// <summary>
/// Segments decoded request images with one shared <see cref="AdGanSegmentationModel"/> through the library's segmentation
/// pipeline (<see cref="NucleusSegmenter"/>: thread-safe, so every request uses the same weights and the model's labelling).
/// </summary>
public sealed class Segmenter
{
    private readonly NucleusSegmenter _pipeline;

    /// <summary>Wraps a loaded model.</summary>
    public Segmenter(AdGanSegmentationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _pipeline = new NucleusSegmenter(model);
        ReadOptions = new MicroscopyReadOptions { FirstPageOnly = model.Settings.Dimensions == 2 };
    }

    /// <summary>The model every request runs through.</summary>
    public AdGanSegmentationModel Model { get; }

    /// <summary>How request bodies are decoded (a 2D model reads only the first page of a TIFF stack).</summary>
    public MicroscopyReadOptions ReadOptions { get; }

    /// <summary>Decodes a request body (PNG or TIFF); throws <see cref="MicroscopyImageException"/> naming <paramref name="name"/> when it cannot.</summary>
    public ImageBuffer<float> Read(byte[] body, string name) => MicroscopyImageReader.ReadImage(body, name, ReadOptions).Image;

    /// <summary>
    /// Segments a raw image into an instance label map (0 = background), labelled at the scale the image was decoded at;
    /// throws <see cref="SegmentationException"/> for an image the pipeline cannot segment.
    /// </summary>
    public ImageBuffer<uint> Segment(ImageBuffer<float> image, string? name = null) => _pipeline.Segment(image, name ?? "the request body").Labels;
}
