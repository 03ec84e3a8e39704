using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Estimator of <see cref="InstanceLabelTransformer"/>: decoded maps (variable-size float vector column, with Int32 shape
/// columns) to instance label maps (UInt32 vector column). Trivial: fitting learns nothing.
/// </summary>
public sealed class InstanceLabelEstimator : IEstimator<InstanceLabelTransformer>
{
    private readonly MLContext _ml;

    internal InstanceLabelEstimator(MLContext ml, string outputColumnName, string inputColumnName, InstanceLabelOptions options, string? heightColumnName, string? widthColumnName, string? depthColumnName)
    {
        _ml = ml;
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        options.Validate();
        if (options.ImageBoundaryBand > 0)
            throw new ArgumentException($"ImageBoundaryBand is {options.ImageBoundaryBand}, but this transform sees the decoded map only, not the image: set it to 0 here, or label with InstanceLabeler.Label(AdGanDecodedMap).", nameof(options));
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options;
        HeightColumnName = heightColumnName ?? Imaging.MicroscopyImageColumns.Height(inputColumnName);
        WidthColumnName = widthColumnName ?? Imaging.MicroscopyImageColumns.Width(inputColumnName);
        DepthColumnName = depthColumnName ?? Imaging.MicroscopyImageColumns.Depth(inputColumnName);
    }

    /// <summary>The label map column to create.</summary>
    public string OutputColumnName { get; }

    /// <summary>The decoded map column.</summary>
    public string InputColumnName { get; }

    /// <summary>The height column (default: input name + ".Height", as LoadMicroscopyImages names it).</summary>
    public string HeightColumnName { get; }

    /// <summary>The width column (default: input name + ".Width").</summary>
    public string WidthColumnName { get; }

    /// <summary>The depth column (default: input name + ".Depth"); when the input has no such column the maps are 2D.</summary>
    public string DepthColumnName { get; }

    /// <summary>The labelling options.</summary>
    public InstanceLabelOptions Options { get; }

    /// <inheritdoc/>
    public InstanceLabelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool is3D = LabelMapChain.CheckInput(input.Schema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, "a decoded map");
        return new InstanceLabelTransformer(BuildChain(is3D).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        BuildChain(LabelMapChain.CheckShape(inputSchema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName)).GetOutputSchema(inputSchema);

    private IEstimator<ITransformer> BuildChain(bool is3D) =>
        LabelMapChain.Build(_ml, OutputColumnName, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, is3D, InstanceLabelOptionsCodec.Encode(Options),
            is3D
                ? _ml.Transforms.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(InstanceLabel3DFactory.Map, InstanceLabel3DFactory.ContractName)
                : _ml.Transforms.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(InstanceLabel2DFactory.Map, InstanceLabel2DFactory.ContractName),
            copyShapeToOutput: false);
}
