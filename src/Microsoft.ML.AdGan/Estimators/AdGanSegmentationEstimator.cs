using System.Diagnostics;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// Trains AD-GAN on a column of unlabeled images (a float image column from <c>LoadMicroscopyImages</c>, or an MLImage
/// column from <c>LoadImages</c>) and returns a transformer that segments images of any size through the segmentation
/// pipeline (<see cref="NucleusSegmenter"/>): instance labels with their shape columns, count and working scale, and the
/// decoded map with its shape columns. Made by <c>mlContext.Nuclei().Segment(...)</c>: messages go to
/// <see cref="MLContext.Log"/>, and training uses the GPU named by <see cref="MLContext.GpuDeviceId"/> when a CUDA backend is referenced
/// and available, else the CPU (or fails when <see cref="MLContext.FallbackToCpu"/> is false). The torch thread count
/// that <see cref="AdGanTrainerOptions.Threads"/> sets holds during <see cref="Fit"/> only.
/// </summary>
public sealed class AdGanSegmentationEstimator : IEstimator<AdGanSegmentationTransformer>
{
    /// <summary>Options of the estimator: the training options, the labelling the model keeps, and the columns.</summary>
    public sealed class Options : AdGanTrainerOptions
    {
        /// <summary>Input image column: a float vector with ".Depth", ".Height", ".Width" (and optionally ".VoxelSize") columns, or an MLImage. Default "Image".</summary>
        public string ImageColumnName { get; set; } = "Image";

        /// <summary>Output label map column (UInt32 vector, 0 = background) with ".Height", ".Width" (volumes: ".Depth"), ".Count" and ".WorkingScale" columns. Default "Instances".</summary>
        public string OutputColumnName { get; set; } = "Instances";

        /// <summary>Output decoded-map column (Single vector in [-1, 1]) with ".Height" and ".Width" (volumes: ".Depth") columns. Default "Decoded".</summary>
        public string DecodedColumnName { get; set; } = "Decoded";

        /// <summary>How decoded maps become instances (kept in the model). Default <see cref="AdGanDecoding.Split"/>.</summary>
        public AdGanDecoding Decoding { get; set; } = AdGanDecoding.Split;

        /// <summary>
        /// Band, in working-scale pixels, around each nucleus boundary inside which the image's own threshold places the boundary
        /// (kept in the model); 0 keeps the decoded map's boundary. Default null: 2 for images with split decoding, 0 otherwise.
        /// </summary>
        public double? ImageBoundaryBand { get; set; }

        /// <summary>
        /// Which network the transformer segments with (kept in the model): the generator, or the student trained after it, which
        /// needs <see cref="AdGanTrainerOptions.Student"/> (images only). Default <see cref="SegmentationNetwork.Generator"/>.
        /// </summary>
        public SegmentationNetwork Network { get; set; } = SegmentationNetwork.Generator;

        /// <summary>
        /// Options that train as <paramref name="training"/> says (every training setting copied; option objects such as
        /// Masks shared, as <c>with</c> shares them) with the default columns and labelling.
        /// </summary>
        public static Options From(AdGanTrainerOptions training)
        {
            ArgumentNullException.ThrowIfNull(training);
            var options = new Options();
            foreach (var property in typeof(AdGanTrainerOptions).GetProperties())
                if (property.CanWrite)
                    property.SetValue(options, property.GetValue(training));
            return options;
        }

        /// <inheritdoc/>
        public override void Validate()
        {
            foreach (var (name, value) in new[] { (nameof(ImageColumnName), ImageColumnName), (nameof(OutputColumnName), OutputColumnName), (nameof(DecodedColumnName), DecodedColumnName) })
                if (string.IsNullOrEmpty(value))
                    throw new ArgumentException($"{name} must name a column.", name);
            base.Validate();
            InferenceSettings(this).Validate();
            if (Network == SegmentationNetwork.Student && (Student is null || Dimensions != 2))
                throw new ArgumentException(
                    $"Network is Student but {(Student is null ? "Student (the student's training options) is null" : "students are trained for images only, and Dimensions is 3")}: set Student for a 2D model, or Network to Generator.",
                    nameof(Network));
        }

        /// <summary>The inference settings a model trained with these options keeps (its labelling included).</summary>
        internal static AdGanInferenceSettings InferenceSettings(Options options)
            => options.InferenceSettings() with { Decoding = options.Decoding, ImageBoundaryBand = options.ImageBoundaryBand, Network = options.Network };
    }

    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Creates the estimator (what <c>mlContext.Nuclei().Segment</c> does).</summary>
    internal AdGanSegmentationEstimator(MLContext mlContext, Options options)
    {
        _ml = mlContext ?? throw new ArgumentNullException(nameof(mlContext));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    /// <inheritdoc/>
    public AdGanSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = Stopwatch.StartNew();
        var options = (Options)_options.CloneWithOwnMasks();
        options.Validate();
        bool isMLImage = ImageColumnInput.Check(input.Schema, options.ImageColumnName);
        var host = ((IHostEnvironment)_ml).Register(nameof(AdGanSegmentationEstimator));
        using var channel = host.Start("Training");
        void Log(string message) => channel.Info(MessageSensitivity.None, message);
        int threads = torch.get_num_threads();
        AdGanSegmentationModel model;
        try
        {
            AdGanTrainerOptions training = options;
            InMemoryImageSource source;
            var images = TrainingImages(input, options, isMLImage);
            if (options.PriorEstimation is null)
            {
                // Each image is prepared (normalised, rescaled to the working scale) as it is read: the raw images are never all held.
                source = new InMemoryImageSource(images, options.Normalization, options.Scaling());
            }
            else
            {
                // Priors (and possibly the working scale) are measured on the raw images before any is prepared.
                var list = images.ToList();
                training = TrainingPriors.Resolve(options, list.Select((image, row) => ($"row {row}", image)), Log);
                source = new InMemoryImageSource(list, training.Normalization, training.Scaling());
            }
            Log($"Read {source.Count} training images from column '{options.ImageColumnName}'.");
            var device = ChooseDevice(Log);
            // The time budget covers Fit: reading the images and estimating the priors count against it.
            training = training.WithBudgetSpent(started.Elapsed);
            using var trainer = new AdGanTrainer(training, source, device, Log);
            var trained = trainer.Train();
            var settings = trained.Settings with { Decoding = options.Decoding, ImageBoundaryBand = options.ImageBoundaryBand, Network = options.Network };
            model = settings == trained.Settings ? trained : trained.TakeOwnership(settings);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
        return CreateTransformer(_ml, model, input, options.OutputColumnName, options.ImageColumnName, options.DecodedColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        bool isMLImage = ImageColumnInput.Check(inputSchema, _options.ImageColumnName);
        var columns = new AdGanTransformChain.Columns(_options.OutputColumnName, _options.ImageColumnName, _options.DecodedColumnName);
        return AdGanTransformChain.Build(_ml, Array.Empty<byte>(), columns, isMLImage, ImageColumnInput.HasVoxelSize(inputSchema, _options.ImageColumnName), _options.Dimensions)
            .GetOutputSchema(inputSchema);
    }

    /// <summary>
    /// Wraps a trained model (for example an imported or loaded one) as a transformer for data shaped like
    /// <paramref name="schemaSource"/> (no rows are read): the same columns <see cref="Fit"/>'s transformer writes.
    /// </summary>
    internal static AdGanSegmentationTransformer CreateTransformer(MLContext mlContext, AdGanSegmentationModel model, IDataView schemaSource,
        string outputColumnName = "Instances", string imageColumnName = "Image", string decodedColumnName = "Decoded")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schemaSource);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(decodedColumnName);
        bool isMLImage = ImageColumnInput.Check(schemaSource.Schema, imageColumnName);
        bool hasVoxelSize = ImageColumnInput.HasVoxelSize(schemaSource.Schema, imageColumnName);
        var columns = new AdGanTransformChain.Columns(outputColumnName, imageColumnName, decodedColumnName);
        var chain = AdGanTransformChain.Build(mlContext, AdGanModelSerializer.ToBytes(model), columns, isMLImage, hasVoxelSize, model.Settings.Dimensions);
        return new AdGanSegmentationTransformer(chain.Fit(schemaSource), model, columns, isMLImage, hasVoxelSize);
    }

    /// <summary>The training images of the input, read one at a time through the same image-column chain the transformer uses.</summary>
    private IEnumerable<ImageBuffer<float>> TrainingImages(IDataView input, Options options, bool isMLImage)
    {
        const string Image = "__AdGanTrainImage", Depth = "__AdGanTrainDepth", Height = "__AdGanTrainHeight", Width = "__AdGanTrainWidth";
        string name = options.ImageColumnName;
        var view = ImageColumnInput.Build(_ml, name, isMLImage, hasVoxelSize: false, new ImageColumnInput.Targets(Image, Depth, Height, Width, null)).Fit(input).Transform(input);
        var columns = new[] { Image, Depth, Height, Width }.Select(c => view.Schema[c]).ToArray();
        int count = 0;
        using var cursor = view.GetRowCursor(columns);
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
            if (options.Dimensions == 2 && d > 1)
                throw new InvalidOperationException($"Row {cursor.Position} of column '{name}' is a volume of depth {d}; set Dimensions = 3 to train on volumes.");
            var shape = options.Dimensions == 3 ? ImageShape.Of3D(Math.Max(1, d), h, w) : ImageShape.Of2D(h, w);
            count++;
            yield return new ImageBuffer<float>(buffer.DenseValues().ToArray(), shape);
        }
        if (count == 0)
            throw new InvalidOperationException($"The training data has no rows in column '{name}'.");
    }

    private torch.Device ChooseDevice(Action<string> log)
    {
        if (_ml.GpuDeviceId is not int gpu)
            return torch.CPU;
        if (torch.cuda.is_available())
            return new torch.Device(DeviceType.CUDA, gpu);
        if (_ml.FallbackToCpu)
        {
            log($"GPU {gpu} was requested but CUDA is not available (reference TorchSharp-cuda-linux or -windows); training on the CPU.");
            return torch.CPU;
        }
        throw new InvalidOperationException($"GPU {gpu} was requested (MLContext.GpuDeviceId) but CUDA is not available, and MLContext.FallbackToCpu is false.");
    }
}
