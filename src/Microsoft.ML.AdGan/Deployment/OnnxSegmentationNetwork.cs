using System.Globalization;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.AdGan.Deployment;

/// <summary>
/// An exported AD-GAN segmentation network (see <see cref="AdGanOnnxFormat"/>) on ONNX Runtime: a normalised tile at the
/// working scale in, its decoded map out. It never touches TorchSharp, so a process that only uses this class needs no
/// libtorch. Immutable after construction; concurrent calls are safe (ONNX Runtime runs concurrent calls on one loaded graph).
/// </summary>
public sealed class OnnxSegmentationNetwork : IDisposable
{
    private static readonly string[] InputNames = { AdGanOnnxFormat.InputName };
    private static readonly string[] OutputNames = { AdGanOnnxFormat.OutputName };

    private readonly InferenceSession _session;

    /// <summary>Loads the exported graph at <paramref name="path"/>.</summary>
    public OnnxSegmentationNetwork(string path, OnnxSegmentationNetworkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        Source = path;
        _session = Open(s => new InferenceSession(path, s), options, path);
        (Dimensions, Metadata) = Check();
    }

    /// <summary>Loads an exported graph from its bytes; <paramref name="source"/> names it in errors.</summary>
    public OnnxSegmentationNetwork(byte[] model, string source = "ONNX model", OnnxSegmentationNetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Source = source;
        _session = Open(s => new InferenceSession(model, s), options, source);
        (Dimensions, Metadata) = Check();
    }

    /// <summary>Where the graph came from (a path, or the name given with its bytes).</summary>
    public string Source { get; }

    /// <summary>2 for image tiles (height, width), 3 for volume tiles (depth, height, width).</summary>
    public int Dimensions { get; }

    /// <summary>The graph's metadata (keys of <see cref="AdGanOnnxFormat"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The inference settings the model was exported with, as JSON (<see cref="AdGanOnnxFormat.JsonOptions"/>).</summary>
    public string InferenceSettingsJson => Metadata[AdGanOnnxFormat.InferenceSettingsKey];

    /// <summary>The decoded map (in [-1, 1]) of a normalised tile of the given extents, row-major (depth is 1 for a 2D network).</summary>
    public float[] Decode(float[] tile, int depth, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(tile);
        var decoded = new float[tile.Length];
        Decode(tile, depth, height, width, decoded);
        return decoded;
    }

    /// <summary>Writes the decoded map of <paramref name="tile"/> into <paramref name="decoded"/> (same length; may not be the tile).</summary>
    public void Decode(float[] tile, int depth, int height, int width, float[] decoded) => Decode(tile, depth, height, width, decoded, CancellationToken.None);

    /// <summary>
    /// As <see cref="Decode(float[], int, int, int, float[])"/>; cancelling <paramref name="cancellationToken"/> stops ONNX
    /// Runtime within the run (its terminate flag, checked between graph nodes) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Decode(float[] tile, int depth, int height, int width, float[] decoded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tile);
        ArgumentNullException.ThrowIfNull(decoded);
        var shape = Shape(depth, height, width);
        long length = shape.Aggregate(1L, (a, b) => a * b);
        if (tile.LongLength != length)
            throw new ArgumentException($"The tile has {tile.LongLength} values; extents {depth} x {height} x {width} need {length}.", nameof(tile));
        if (decoded.LongLength != length)
            throw new ArgumentException($"The output has {decoded.LongLength} values; the tile has {length}.", nameof(decoded));
        if (ReferenceEquals(tile, decoded))
            throw new ArgumentException("The output must not be the tile itself.", nameof(decoded));
        using var input = OrtValue.CreateTensorValueFromMemory(tile, shape);
        using var output = OrtValue.CreateTensorValueFromMemory(decoded, shape);
        using var run = new RunOptions();
        cancellationToken.ThrowIfCancellationRequested();
        using var stop = cancellationToken.Register(() => run.Terminate = true);
        try
        {
            _session.Run(run, InputNames, new[] { input }, OutputNames, new[] { output });
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"Decoding with '{Source}' was cancelled.", cancellationToken);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    private long[] Shape(int depth, int height, int width)
    {
        if (height < 1 || width < 1 || depth < 1)
            throw new ArgumentOutOfRangeException(nameof(depth), $"Tile extents must be positive; got {depth} x {height} x {width}.");
        if (Dimensions == 2 && depth != 1)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"'{Source}' is a 2D network; the depth must be 1.");
        return Dimensions == 2 ? new long[] { 1, 1, height, width } : new long[] { 1, 1, depth, height, width };
    }

    private static InferenceSession Open(Func<SessionOptions, InferenceSession> create, OnnxSegmentationNetworkOptions? options, string source)
    {
        options ??= new OnnxSegmentationNetworkOptions();
        options.Validate();
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (options.CudaDevice is int device)
            sessionOptions.AppendExecutionProvider_CUDA(device);
        try
        {
            return create(sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"'{source}' could not be loaded by ONNX Runtime: {e.Message}", e);
        }
    }

    private (int Dimensions, IReadOnlyDictionary<string, string> Metadata) Check()
    {
        try
        {
            var metadata = _session.ModelMetadata.CustomMetadataMap;
            if (!metadata.TryGetValue(AdGanOnnxFormat.FormatKey, out var format) || !int.TryParse(format, NumberStyles.Integer, CultureInfo.InvariantCulture, out int version))
                throw new InvalidDataException($"'{Source}' is an ONNX model but not an AD-GAN export (no '{AdGanOnnxFormat.FormatKey}' metadata).");
            if (version < 1 || version > AdGanOnnxFormat.FormatVersion)
                throw new InvalidDataException($"'{Source}' has AD-GAN ONNX format version {version}; this library reads versions 1 to {AdGanOnnxFormat.FormatVersion}. Update the library.");
            foreach (var key in new[] { AdGanOnnxFormat.InferenceSettingsKey, AdGanOnnxFormat.InstanceStatisticsKey })
                if (!metadata.ContainsKey(key))
                    throw new InvalidDataException($"'{Source}' lacks the '{key}' metadata of an AD-GAN export.");
            if (!_session.InputMetadata.TryGetValue(AdGanOnnxFormat.InputName, out var input) || input.ElementType != typeof(float) || input.Dimensions.Length is not (4 or 5))
                throw new InvalidDataException($"'{Source}' has no float input '{AdGanOnnxFormat.InputName}' of rank 4 or 5.");
            if (!_session.OutputMetadata.ContainsKey(AdGanOnnxFormat.OutputName))
                throw new InvalidDataException($"'{Source}' has no output '{AdGanOnnxFormat.OutputName}'.");
            return (input.Dimensions.Length - 2, new Dictionary<string, string>(metadata));
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The one segmentation pipeline over this exported network on ONNX Runtime (no TorchSharp), with the inference settings and labelling stored in
    /// its metadata (<see cref="AdGanOnnxFormat"/>) and the same tiling, scaling and labelling as a model zip, labelling with
    /// <paramref name="labeling"/> (copied; null: the export's). The graph normalises each input with its own instance
    /// statistics, so tiles are normalised by themselves: the segmenter's <see cref="NucleusSegmenter.Settings"/> say <see cref="TileStatistics.Tile"/>, and an
    /// image of several tiles gives what the model zip gives with that setting (an image of one tile: what it gives anyway).
    /// This network stays owned by the caller.
    /// </summary>
    public NucleusSegmenter CreateSegmenter(InstanceLabelOptions? labeling = null) =>
        new(OnnxTileNetwork.SettingsOf(this), new OnnxTileNetwork(this), labeling?.Clone() ?? OnnxTileNetwork.LabellingOf(this));
}
