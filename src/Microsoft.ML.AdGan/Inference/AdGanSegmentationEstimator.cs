using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Trains AD-GAN on a column of unlabeled images (from <c>LoadMicroscopyImages</c>) and returns a transformer that
/// segments images of any size. Training uses the GPU named by <see cref="MLContext.GpuDeviceId"/> when a CUDA
/// backend is referenced and available, else the CPU (or fails when <see cref="MLContext.FallbackToCpu"/> is false).
/// </summary>
public sealed class AdGanSegmentationEstimator : IEstimator<AdGanSegmentationTransformer>
{
    /// <summary>Options of the estimator: the training options plus column names and cancellation.</summary>
    public sealed class Options : AdGanTrainerOptions
    {
        /// <summary>Input image column (variable-size Single vector with ".Depth", ".Height", ".Width" columns). Default "Image".</summary>
        public string ImageColumnName { get; set; } = "Image";

        /// <summary>Output decoded-map column; its mask column is "&lt;name&gt;.Mask". Default "Decoded".</summary>
        public string OutputColumnName { get; set; } = "Decoded";

        /// <summary>Cancels training; a checkpoint is written first when a checkpoint folder is set.</summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>GPU to train on (needs a CUDA TorchSharp backend); null trains on the CPU. Taken from MLContext.GpuDeviceId when built from an MLContext.</summary>
        public int? GpuDeviceId { get; set; }

        /// <summary>Train on the CPU when the requested GPU is unavailable instead of failing. Default true.</summary>
        public bool FallbackToCpu { get; set; } = true;

        /// <summary>Receives progress messages (besides MLContext.Log when built from an MLContext).</summary>
        public Action<string>? Log { get; set; }
    }

    private readonly TransformsCatalog _transforms;
    private readonly IHostEnvironment? _environment;
    private readonly Options _options;

    /// <summary>Creates the estimator; messages go to <see cref="MLContext.Log"/>, and the GPU settings of the context apply.</summary>
    public AdGanSegmentationEstimator(MLContext mlContext, Options options)
        : this(mlContext?.Transforms ?? throw new ArgumentNullException(nameof(mlContext)), options)
    {
        _environment = mlContext;
        _options.GpuDeviceId ??= mlContext.GpuDeviceId;
        _options.FallbackToCpu = mlContext.FallbackToCpu;
    }

    /// <summary>Creates the estimator from a catalog (what <c>mlContext.Transforms.SegmentNucleiWithAdGan</c> does); messages go to <see cref="Options.Log"/>.</summary>
    public AdGanSegmentationEstimator(TransformsCatalog transforms, Options options)
    {
        _transforms = transforms ?? throw new ArgumentNullException(nameof(transforms));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    /// <inheritdoc/>
    public AdGanSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AdGanTransformChain.CheckInput(input.Schema, _options.ImageColumnName);
        using var channel = _environment?.Register("AdGan").Start("Training");
        void Log(string message)
        {
            channel?.Info(MessageSensitivity.None, message);
            _options.Log?.Invoke(message);
        }
        AdGanTrainerOptions options = _options;
        InMemoryImageSource source;
        if (_options.PriorEstimation is null)
        {
            // Each image is prepared (normalised, rescaled to the working scale) as it is read: the raw images are never all held.
            source = new InMemoryImageSource(ReadImages(input), options.Normalization, options.ImageScale);
        }
        else
        {
            // Priors (and possibly the working scale) are measured on the raw images before any is prepared.
            var images = ReadImages(input).ToList();
            options = TrainingPriors.Resolve(_options, images.Select((image, row) => ($"row {row}", image)), Log);
            source = new InMemoryImageSource(images, options.Normalization, options.ImageScale);
        }
        Log($"Read {source.Count} training images from column '{_options.ImageColumnName}'.");
        var device = ChooseDevice(Log);
        AdGanSegmentationModel model;
        using (var trainer = new AdGanTrainer(options, source, device, Log))
            model = trainer.Train(_options.CancellationToken);
        return CreateTransformer(_transforms, model, _options.ImageColumnName, _options.OutputColumnName, input);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var image = inputSchema.FirstOrDefault(c => c.Name == _options.ImageColumnName);
        if (image.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Image column '{_options.ImageColumnName}' not found in the input.");
        if (image.Kind != SchemaShape.Column.VectorKind.VariableVector || image.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Image column '{_options.ImageColumnName}' must be a variable-size vector of Single (from LoadMicroscopyImages).");
        return AdGanTransformChain.Build(_transforms, Array.Empty<byte>(), _options.ImageColumnName, _options.OutputColumnName).GetOutputSchema(inputSchema);
    }

    /// <summary>Wraps a trained model (for example an imported one) as a transformer for data shaped like <paramref name="schemaSource"/> (no rows are read).</summary>
    public static AdGanSegmentationTransformer CreateTransformer(TransformsCatalog transforms, AdGanSegmentationModel model, string imageColumnName, string outputColumnName, IDataView schemaSource)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schemaSource);
        AdGanTransformChain.CheckInput(schemaSource.Schema, imageColumnName);
        var blob = AdGanModelSerializer.ToBytes(model);
        var chain = AdGanTransformChain.Build(transforms, blob, imageColumnName, outputColumnName);
        return new AdGanSegmentationTransformer(chain.Fit(schemaSource), model, imageColumnName, outputColumnName);
    }

    private IEnumerable<ImageBuffer<float>> ReadImages(IDataView input)
    {
        string name = _options.ImageColumnName;
        var columns = new[] { name, MicroscopyImageColumns.Depth(name), MicroscopyImageColumns.Height(name), MicroscopyImageColumns.Width(name) }
            .Select(c => input.Schema[c]).ToArray();
        int count = 0;
        using var cursor = input.GetRowCursor(columns);
        var getImage = cursor.GetGetter<VBuffer<float>>(columns[0]);
        var getDepth = cursor.GetGetter<int>(columns[1]);
        var getHeight = cursor.GetGetter<int>(columns[2]);
        var getWidth = cursor.GetGetter<int>(columns[3]);
        VBuffer<float> buffer = default;
        int d = 0, h = 0, w = 0;
        while (cursor.MoveNext())
        {
            getImage(ref buffer);
            getDepth(ref d);
            getHeight(ref h);
            getWidth(ref w);
            if ((long)Math.Max(1, d) * h * w != buffer.Length || h < 1 || w < 1)
                throw new InvalidOperationException($"Row {cursor.Position} of column '{name}' holds {buffer.Length} values but its shape columns say {d}x{h}x{w}.");
            if (_options.Dimensions == 2 && d > 1)
                throw new InvalidOperationException($"Row {cursor.Position} of column '{name}' is a volume of depth {d}; set Dimensions = 3 to train on volumes.");
            var shape = _options.Dimensions == 3 ? ImageShape.Of3D(Math.Max(1, d), h, w) : ImageShape.Of2D(h, w);
            count++;
            yield return new ImageBuffer<float>(buffer.DenseValues().ToArray(), shape);
        }
        if (count == 0)
            throw new InvalidOperationException($"The training data has no rows in column '{name}'.");
    }

    private torch.Device ChooseDevice(Action<string> log)
    {
        if (_options.GpuDeviceId is not int gpu)
            return torch.CPU;
        if (torch.cuda.is_available())
            return new torch.Device(DeviceType.CUDA, gpu);
        if (_options.FallbackToCpu)
        {
            log($"GPU {gpu} was requested but CUDA is not available (reference TorchSharp-cuda-linux or -windows); training on the CPU.");
            return torch.CPU;
        }
        throw new InvalidOperationException($"GPU {gpu} was requested but CUDA is not available, and FallbackToCpu is false.");
    }
}
