using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;

namespace AdGan.Service;

/// <summary>
/// Decodes request bodies under the pixel budget and segments them through the library's one segmentation pipeline
/// (<see cref="NucleusSegmenter"/>: thread-safe, so every request shares the weights and the model's labelling), with the
/// network on TorchSharp (a model zip) or ONNX Runtime (an exported graph).
/// </summary>
public sealed class Segmenter : IDisposable
{
    private readonly NucleusSegmenter _pipeline;
    private readonly IDisposable? _owned;

    /// <summary>Segments with a loaded model zip on TorchSharp (the model stays owned by the caller).</summary>
    public Segmenter(AdGanSegmentationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _pipeline = new NucleusSegmenter(model);
        ModelId = model.Id.ToString();
        Runtime = ServiceRuntime.Torch;
    }

    /// <summary>Segments with an exported graph on ONNX Runtime; <paramref name="ownsNetwork"/>: disposing this disposes it.</summary>
    public Segmenter(OnnxSegmentationNetwork network, bool ownsNetwork = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        _pipeline = network.CreateSegmenter();
        ModelId = network.Metadata.TryGetValue(AdGanOnnxFormat.ModelIdKey, out var id) ? id : "";
        Runtime = ServiceRuntime.Onnx;
        _owned = ownsNetwork ? network : null;
    }

    /// <summary>The id of the model (the zip's, or the one an ONNX export records).</summary>
    public string ModelId { get; }

    /// <summary>The runtime that runs the network.</summary>
    public ServiceRuntime Runtime { get; }

    /// <summary>The inference settings in use (with ONNX Runtime, per-tile instance statistics).</summary>
    public AdGanInferenceSettings Settings => _pipeline.Settings;

    /// <summary>Loads the model <paramref name="options"/> name with the runtime they name; errors name the file and the flag.</summary>
    public static Segmenter Load(ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool onnxFile = options.ModelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        if (options.Runtime == ServiceRuntime.Torch && onnxFile)
            throw new ArgumentException($"--model '{options.ModelPath}' is an ONNX graph; run it with --runtime onnx (TorchSharp reads model zips).");
        if (options.Runtime == ServiceRuntime.Onnx && options.Network is not null)
            throw new ArgumentException($"--network applies to model zips; an ONNX graph holds the one network it was exported with ('{options.ModelPath}').");
        if (!File.Exists(options.ModelPath))
            throw new FileNotFoundException($"--model '{options.ModelPath}' does not exist.", options.ModelPath);
        return options.Runtime == ServiceRuntime.Onnx
            ? new Segmenter(new OnnxSegmentationNetwork(options.ModelPath, new OnnxSegmentationNetworkOptions { Threads = options.OnnxThreads ?? 0 }), ownsNetwork: true)
            : TorchModelLoader.Load(options);
    }

    /// <summary>
    /// Decodes a request body (PNG, TIFF or JPEG; a 2D model reads the first page of a TIFF stack). The header's size is checked
    /// against <paramref name="maxWorkingPixels"/> at the model's working scale before any pixel is decoded; throws
    /// <see cref="MicroscopyImageException"/> naming <paramref name="name"/> when the body is over budget or undecodable.
    /// </summary>
    public ImageBuffer<float> Read(byte[] body, string name, long maxWorkingPixels)
    {
        double growth = Math.Pow(Math.Max(1.0, Settings.ImageScale), Settings.Dimensions);
        var options = new MicroscopyReadOptions
        {
            FirstPageOnly = Settings.Dimensions == 2,
            MaxPixels = Math.Max(1, (long)(maxWorkingPixels / growth)),
        };
        return MicroscopyImageReader.ReadImage(body, name, options).Image;
    }

    /// <summary>
    /// Segments a raw image into an instance label map (0 = background), labelled at the scale the image was decoded at;
    /// throws <see cref="SegmentationException"/> for an image the pipeline cannot segment and
    /// <see cref="OperationCanceledException"/> within one tile (or one labelling phase) of <paramref name="cancellationToken"/>'s cancellation.
    /// </summary>
    public ImageBuffer<uint> Segment(ImageBuffer<float> image, string? name = null, CancellationToken cancellationToken = default)
        => _pipeline.Segment(image, name ?? "the request body", cancellationToken).Labels;

    /// <inheritdoc/>
    public void Dispose() => _owned?.Dispose();
}
