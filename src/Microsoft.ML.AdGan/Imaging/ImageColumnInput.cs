using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Reads an image column for this library's transforms in either form: the float vector of <c>LoadMicroscopyImages</c>
/// (with its ".Depth", ".Height", ".Width" and optional ".VoxelSize" columns) or ML.NET's own <see cref="MLImage"/> (from
/// <c>LoadImages</c> of Microsoft.ML.ImageAnalytics, 8 bits per channel: grey images keep their values, colour images
/// become the mean of red, green and blue, as the microscopy reader averages channels). Either way the chain it builds
/// puts the intensities and the shape into the internal columns a transform names.
/// </summary>
internal static class ImageColumnInput
{
    /// <summary>The internal columns an image column is brought to.</summary>
    public sealed record Targets(string Image, string Depth, string Height, string Width, string? VoxelSize);

    /// <summary>True when <paramref name="type"/> is ML.NET's image type (MLImage).</summary>
    public static bool IsMLImage(DataViewType type) => type is ImageDataViewType;

    /// <summary>Checks the image column and its shape columns, naming what is wrong; returns true for an MLImage column.</summary>
    public static bool Check(DataViewSchema schema, string imageColumnName)
    {
        var image = schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Image column '{imageColumnName}' not found in the input.");
        if (IsMLImage(image.Type))
            return true;
        if (image.Type is not VectorDataViewType { ItemType: NumberDataViewType n } || n.RawType != typeof(float))
            throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Image column '{imageColumnName}' must be a vector of Single (from LoadMicroscopyImages) or an MLImage (from LoadImages), not {image.Type}.");
        foreach (var name in new[] { MicroscopyImageColumns.Depth(imageColumnName), MicroscopyImageColumns.Height(imageColumnName), MicroscopyImageColumns.Width(imageColumnName) })
        {
            var column = schema.GetColumnOrNull(name)
                ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Shape column '{name}' of image column '{imageColumnName}' not found in the input.");
            if (column.Type != NumberDataViewType.Int32)
                throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Shape column '{name}' must be Int32, not {column.Type}.");
        }
        if (schema.GetColumnOrNull(MicroscopyImageColumns.VoxelSize(imageColumnName)) is { } voxel && !IsVoxelSizeType(voxel.Type))
            throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Voxel size column '{voxel.Name}' must be a vector of 3 Single, not {voxel.Type}.");
        return false;
    }

    /// <summary>As <see cref="Check(DataViewSchema, string)"/> for an unfitted pipeline's schema shape.</summary>
    public static bool Check(SchemaShape inputSchema, string imageColumnName)
    {
        var image = inputSchema.FirstOrDefault(c => c.Name == imageColumnName);
        if (image.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Image column '{imageColumnName}' not found in the input.");
        if (IsMLImage(image.ItemType))
            return true;
        if (image.Kind == SchemaShape.Column.VectorKind.Scalar || image.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Image column '{imageColumnName}' must be a vector of Single (from LoadMicroscopyImages) or an MLImage (from LoadImages).");
        foreach (var name in new[] { MicroscopyImageColumns.Depth(imageColumnName), MicroscopyImageColumns.Height(imageColumnName), MicroscopyImageColumns.Width(imageColumnName) })
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Shape column '{name}' of image column '{imageColumnName}' not found in the input.");
        return false;
    }

    /// <summary>True when the input has the optional voxel size column of a float image column.</summary>
    public static bool HasVoxelSize(DataViewSchema schema, string imageColumnName)
        => schema.GetColumnOrNull(MicroscopyImageColumns.VoxelSize(imageColumnName)) is { } c && IsVoxelSizeType(c.Type);

    /// <summary>As <see cref="HasVoxelSize(DataViewSchema, string)"/> for a schema shape.</summary>
    public static bool HasVoxelSize(SchemaShape inputSchema, string imageColumnName)
        => inputSchema.Any(c => c.Name == MicroscopyImageColumns.VoxelSize(imageColumnName));

    /// <summary>
    /// The transforms that bring <paramref name="imageColumnName"/> to <paramref name="targets"/>; the voxel size target
    /// gets zeros (unknown) when the input has none. Every transform is public and saveable.
    /// </summary>
    public static IEstimator<ITransformer> Build(MLContext ml, string imageColumnName, bool isMLImage, bool hasVoxelSize, Targets targets)
    {
        var t = ml.Transforms;
        var steps = new SteppedEstimator();
        if (isMLImage)
        {
            MLImageIntensityMapping.EnsureRegistered();
            steps.Add(t.CopyColumns(MLImageIntensityMapping.ImageColumn, imageColumnName));
            steps.Add(t.CustomMapping(new MLImageIntensityMapping().GetMapping(), MLImageIntensityMapping.ContractName),
                shapeStandIn: t.CustomMapping<UnknownVoxelSizeMapping.Input, MLImageIntensityMapping.Output>((_, _) => { }, contractName: null));
            steps.Add(t.CopyColumns(targets.Image, MLImageIntensityMapping.IntensityColumn));
            steps.Add(t.CopyColumns(targets.Depth, MLImageIntensityMapping.DepthColumn));
            steps.Add(t.CopyColumns(targets.Height, MLImageIntensityMapping.HeightColumn));
            steps.Add(t.CopyColumns(targets.Width, MLImageIntensityMapping.WidthColumn));
            steps.Add(t.DropColumns(MLImageIntensityMapping.ImageColumn, MLImageIntensityMapping.IntensityColumn, MLImageIntensityMapping.DepthColumn,
                MLImageIntensityMapping.HeightColumn, MLImageIntensityMapping.WidthColumn));
        }
        else
        {
            steps.Add(t.CopyColumns(targets.Image, imageColumnName));
            steps.Add(t.CopyColumns(targets.Depth, MicroscopyImageColumns.Depth(imageColumnName)));
            steps.Add(t.CopyColumns(targets.Height, MicroscopyImageColumns.Height(imageColumnName)));
            steps.Add(t.CopyColumns(targets.Width, MicroscopyImageColumns.Width(imageColumnName)));
        }
        if (targets.VoxelSize is { } voxel)
        {
            if (hasVoxelSize && !isMLImage)
            {
                steps.Add(t.CopyColumns(voxel, MicroscopyImageColumns.VoxelSize(imageColumnName)));
            }
            else
            {
                steps.Add(t.CustomMapping(new UnknownVoxelSizeMapping().GetMapping(), UnknownVoxelSizeMapping.ContractName));
                steps.Add(t.CopyColumns(voxel, UnknownVoxelSizeMapping.VoxelSizeColumn));
                steps.Add(t.DropColumns(UnknownVoxelSizeMapping.VoxelSizeColumn));
            }
        }
        return steps;
    }

    /// <summary>
    /// Estimators fitted one after the other. ML.NET's <c>ImageDataViewType.Equals</c> finds two variable-size image types
    /// unequal, so a custom mapping that reads an MLImage fails the schema check an estimator chain runs before fitting; here
    /// each step is fitted on the previous step's output (no check), and the schema is propagated through stand-ins that
    /// read no image but add the same columns. The result is an ordinary, saveable transformer chain.
    /// </summary>
    private sealed class SteppedEstimator : IEstimator<ITransformer>
    {
        private readonly List<(IEstimator<ITransformer> Step, IEstimator<ITransformer>? ShapeStandIn)> _steps = new();

        public void Add(IEstimator<ITransformer> step, IEstimator<ITransformer>? shapeStandIn = null) => _steps.Add((step, shapeStandIn));

        public ITransformer Fit(IDataView input)
        {
            var transformers = new List<ITransformer>();
            var view = input;
            foreach (var (step, _) in _steps)
            {
                var transformer = step.Fit(view);
                transformers.Add(transformer);
                view = transformer.Transform(view);
            }
            return new TransformerChain<ITransformer>(transformers.ToArray());
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            var shape = inputSchema;
            foreach (var (step, standIn) in _steps)
                shape = (standIn ?? step).GetOutputSchema(shape);
            return shape;
        }
    }

    /// <summary>The voxel size of a row's column values (Z, Y, X; zeros: unknown).</summary>
    public static VoxelSize? VoxelSizeOf(float[]? values)
        => values is { Length: 3 } v && (v[1] > 0 || v[2] > 0) ? new VoxelSize(v[0], v[1], v[2]) : null;

    private static bool IsVoxelSizeType(DataViewType type)
        => type is VectorDataViewType { ItemType: NumberDataViewType n, Size: 3 } && n.RawType == typeof(float);
}

/// <summary>Model-file factory turning an <see cref="MLImage"/> column into intensities and shape; not meant for direct use.</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class MLImageIntensityMapping : CustomMappingFactory<MLImageIntensityMapping.Input, MLImageIntensityMapping.Output>
{
    internal const string ContractName = "Microsoft.ML.AdGan.MLImageIntensity.v1";
    internal const string ImageColumn = "__AdGanMLImage";
    internal const string IntensityColumn = "__AdGanMLImage.Intensity";
    internal const string DepthColumn = "__AdGanMLImage.Depth";
    internal const string HeightColumn = "__AdGanMLImage.Height";
    internal const string WidthColumn = "__AdGanMLImage.Width";

    // ImageTypeAttribute without a size cannot register variable-size images (its constructor refuses 0 x 0), so the
    // attribute-free MLImage member is registered as ML.NET's variable-size image type instead (registering twice is harmless).
    static MLImageIntensityMapping() => DataViewTypeManager.Register(new ImageDataViewType(), typeof(MLImage));

    /// <summary>Makes sure the MLImage member type is known before a chain with this mapping is built.</summary>
    internal static void EnsureRegistered()
    {
    }

    /// <summary>The ML.NET image.</summary>
    public sealed class Input
    {
        /// <summary>An image from LoadImages (8 bits per channel).</summary>
        [ColumnName(ImageColumn)]
        public MLImage? Image { get; set; }
    }

    /// <summary>Its intensities and shape.</summary>
    public sealed class Output
    {
        /// <summary>Intensities 0-255, Y, X row-major.</summary>
        [ColumnName(IntensityColumn)]
        [VectorType]
        public float[] Intensity { get; set; } = Array.Empty<float>();

        /// <summary>Always 1.</summary>
        [ColumnName(DepthColumn)]
        public int Depth { get; set; }

        /// <summary>Height.</summary>
        [ColumnName(HeightColumn)]
        public int Height { get; set; }

        /// <summary>Width.</summary>
        [ColumnName(WidthColumn)]
        public int Width { get; set; }
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => Map;

    internal static void Map(Input input, Output output)
    {
        var image = input.Image ?? throw new InvalidOperationException("The MLImage column holds no image (null) in this row.");
        if (image.PixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32))
            throw new InvalidOperationException($"MLImage pixel format {image.PixelFormat} is not supported; LoadImages gives Bgra32 or Rgba32.");
        var pixels = image.Pixels;
        int h = image.Height, w = image.Width;
        var intensity = new float[h * w];
        // Blue, green and red (or red, green and blue) are the first three bytes of each pixel in either format; alpha is ignored.
        for (int i = 0; i < intensity.Length; i++)
            intensity[i] = (pixels[4 * i] + pixels[4 * i + 1] + pixels[4 * i + 2]) / 3f;
        output.Intensity = intensity;
        output.Depth = 1;
        output.Height = h;
        output.Width = w;
    }
}

/// <summary>Model-file factory of an unknown voxel size (zeros) for image columns that carry none; not meant for direct use.</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class UnknownVoxelSizeMapping : CustomMappingFactory<UnknownVoxelSizeMapping.Input, UnknownVoxelSizeMapping.Output>
{
    internal const string ContractName = "Microsoft.ML.AdGan.UnknownVoxelSize.v1";
    internal const string VoxelSizeColumn = "__AdGanUnknownVoxelSize";

    /// <summary>Reads nothing.</summary>
    public sealed class Input
    {
    }

    /// <summary>The voxel size column.</summary>
    public sealed class Output
    {
        /// <summary>Z, Y, X: zeros.</summary>
        [ColumnName(VoxelSizeColumn)]
        [VectorType(3)]
        public float[] VoxelSize { get; set; } = new float[3];
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => (_, output) => output.VoxelSize = new float[3];
}
