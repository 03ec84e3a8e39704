using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Estimator of <see cref="InstanceLabelTransformer"/>: decoded maps (variable-size float vector column, with Int32 shape
/// columns) to instance label maps (UInt32 vector column with its shape columns), optionally refining boundaries with the
/// image the maps were decoded from (<see cref="InstanceLabelOptions.ImageBoundaryBand"/>; a float image column from
/// <c>LoadMicroscopyImages</c> or an MLImage column from <c>LoadImages</c>). Trivial: fitting learns nothing.
/// </summary>
public sealed class InstanceLabelEstimator : LabelMapEstimator<InstanceLabelTransformer>
{
    private static readonly ImageColumnInput.Targets ImageTargets = new(
        InstanceLabelRows.ImageColumn, InstanceLabelRows.ImageDepthColumn, InstanceLabelRows.ImageHeightColumn, InstanceLabelRows.ImageWidthColumn, null);

    internal InstanceLabelEstimator(MLContext ml, string outputColumnName, string inputColumnName, InstanceLabelOptions options, string? imageColumnName,
        string? heightColumnName, string? widthColumnName, string? depthColumnName)
        : base(ml, outputColumnName, inputColumnName, heightColumnName, widthColumnName, depthColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ImageBoundaryBand > 0 && imageColumnName is null)
            throw new ArgumentException($"ImageBoundaryBand is {options.ImageBoundaryBand}, which refines boundaries with the image: name the image column (imageColumnName), or set ImageBoundaryBand to 0.", nameof(options));
        ImageColumnName = imageColumnName;
        Options = options.Clone();
    }

    /// <summary>The image column the maps were decoded from (for boundary refinement); null: none.</summary>
    public string? ImageColumnName { get; }

    /// <summary>A copy of the labelling options.</summary>
    public InstanceLabelOptions Options { get; }

    /// <inheritdoc/>
    public override InstanceLabelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool is3D = CheckInput(input.Schema, "a decoded map");
        bool isMLImage = ImageColumnName is not null && ImageColumnInput.Check(input.Schema, ImageColumnName);
        if (is3D && isMLImage)
            throw new ArgumentOutOfRangeException(nameof(input), $"Image column '{ImageColumnName}' is an MLImage (2D) but the decoded maps of '{InputColumnName}' are volumes.");
        return new InstanceLabelTransformer(BuildChain(is3D, isMLImage).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        bool is3D = CheckShape(inputSchema);
        bool isMLImage = ImageColumnName is not null && ImageColumnInput.Check(inputSchema, ImageColumnName);
        return BuildChain(is3D, isMLImage).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> BuildChain(bool is3D, bool isMLImage)
    {
        var t = Ml.Transforms;
        float[] options = InstanceLabelOptionsCodec.Encode(Options);
        if (ImageColumnName is null)
        {
            return Chain(is3D, options,
                is3D
                    ? t.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(InstanceLabel3DFactory.Map, InstanceLabel3DFactory.ContractName)
                    : t.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(InstanceLabel2DFactory.Map, InstanceLabel2DFactory.ContractName),
                extraInput: null);
        }
        var image = ImageColumnInput.Build(Ml, ImageColumnName, isMLImage, hasVoxelSize: false, ImageTargets);
        return Chain(is3D, options,
            is3D
                ? t.CustomMapping<InstanceLabelRows.InputWithImage, InstanceLabelRows.Output>(InstanceLabel3DImageFactory.Map, InstanceLabel3DImageFactory.ContractName)
                : t.CustomMapping<InstanceLabelRows.InputWithImage, InstanceLabelRows.Output>(InstanceLabel2DImageFactory.Map, InstanceLabel2DImageFactory.ContractName),
            image,
            new[] { InstanceLabelRows.ImageColumn, InstanceLabelRows.ImageDepthColumn, InstanceLabelRows.ImageHeightColumn, InstanceLabelRows.ImageWidthColumn });
    }
}
