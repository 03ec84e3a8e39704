using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Estimator of <see cref="InstanceLabelTransformer"/>: decoded maps (variable-size float vector column, with Int32 shape
/// columns) to instance label maps (UInt32 vector column with its shape columns), optionally refining boundaries with the
/// image the maps were decoded from (<see cref="InstanceLabelOptions.ImageBoundaryBand"/>; a float image column from
/// <c>LoadMicroscopyImages</c> or an MLImage column from <c>LoadImages</c>). Trivial: fitting learns nothing.
/// </summary>
public sealed class InstanceLabelEstimator : IEstimator<InstanceLabelTransformer>
{
    private static readonly ImageColumnInput.Targets ImageTargets = new(
        InstanceLabelRows.ImageColumn, InstanceLabelRows.ImageDepthColumn, InstanceLabelRows.ImageHeightColumn, InstanceLabelRows.ImageWidthColumn, null);

    private readonly MLContext _ml;

    internal InstanceLabelEstimator(MLContext ml, string outputColumnName, string inputColumnName, InstanceLabelOptions options, string? imageColumnName,
        string? heightColumnName, string? widthColumnName, string? depthColumnName)
    {
        _ml = ml ?? throw new ArgumentNullException(nameof(ml));
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ImageBoundaryBand > 0 && imageColumnName is null)
            throw new ArgumentException($"ImageBoundaryBand is {options.ImageBoundaryBand}, which refines boundaries with the image: name the image column (imageColumnName), or set ImageBoundaryBand to 0.", nameof(options));
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        ImageColumnName = imageColumnName;
        Options = options.Clone();
        HeightColumnName = heightColumnName ?? MicroscopyImageColumns.Height(inputColumnName);
        WidthColumnName = widthColumnName ?? MicroscopyImageColumns.Width(inputColumnName);
        DepthColumnName = depthColumnName ?? MicroscopyImageColumns.Depth(inputColumnName);
    }

    /// <summary>The label map column to create (with its shape columns: this name + ".Height", ".Width", and ".Depth" for volumes).</summary>
    public string OutputColumnName { get; }

    /// <summary>The decoded map column.</summary>
    public string InputColumnName { get; }

    /// <summary>The image column the maps were decoded from (for boundary refinement); null: none.</summary>
    public string? ImageColumnName { get; }

    /// <summary>The height column (default: input name + ".Height", as LoadMicroscopyImages names it).</summary>
    public string HeightColumnName { get; }

    /// <summary>The width column (default: input name + ".Width").</summary>
    public string WidthColumnName { get; }

    /// <summary>The depth column (default: input name + ".Depth"); when the input has no such column the maps are 2D.</summary>
    public string DepthColumnName { get; }

    /// <summary>A copy of the labelling options.</summary>
    public InstanceLabelOptions Options { get; }

    /// <inheritdoc/>
    public InstanceLabelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool is3D = LabelMapChain.CheckInput(input.Schema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, "a decoded map");
        bool isMLImage = ImageColumnName is not null && ImageColumnInput.Check(input.Schema, ImageColumnName);
        if (is3D && isMLImage)
            throw new ArgumentOutOfRangeException(nameof(input), $"Image column '{ImageColumnName}' is an MLImage (2D) but the decoded maps of '{InputColumnName}' are volumes.");
        return new InstanceLabelTransformer(BuildChain(is3D, isMLImage).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        bool is3D = LabelMapChain.CheckShape(inputSchema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName);
        bool isMLImage = ImageColumnName is not null && ImageColumnInput.Check(inputSchema, ImageColumnName);
        return BuildChain(is3D, isMLImage).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> BuildChain(bool is3D, bool isMLImage)
    {
        var t = _ml.Transforms;
        float[] options = InstanceLabelOptionsCodec.Encode(Options);
        if (ImageColumnName is null)
        {
            return LabelMapChain.Build(_ml, OutputColumnName, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, is3D, options,
                is3D
                    ? t.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(InstanceLabel3DFactory.Map, InstanceLabel3DFactory.ContractName)
                    : t.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(InstanceLabel2DFactory.Map, InstanceLabel2DFactory.ContractName),
                copyShapeToOutput: true);
        }
        var image = ImageColumnInput.Build(_ml, ImageColumnName, isMLImage, hasVoxelSize: false, ImageTargets);
        return LabelMapChain.Build(_ml, OutputColumnName, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, is3D, options,
            is3D
                ? t.CustomMapping<InstanceLabelRows.InputWithImage, InstanceLabelRows.Output>(InstanceLabel3DImageFactory.Map, InstanceLabel3DImageFactory.ContractName)
                : t.CustomMapping<InstanceLabelRows.InputWithImage, InstanceLabelRows.Output>(InstanceLabel2DImageFactory.Map, InstanceLabel2DImageFactory.ContractName),
            copyShapeToOutput: true, image,
            new[] { InstanceLabelRows.ImageColumn, InstanceLabelRows.ImageDepthColumn, InstanceLabelRows.ImageHeightColumn, InstanceLabelRows.ImageWidthColumn });
    }
}
