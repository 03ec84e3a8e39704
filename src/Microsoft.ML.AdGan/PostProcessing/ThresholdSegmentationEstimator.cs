using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Estimator of <see cref="ThresholdSegmentationTransformer"/>: intensity images (variable-size Single vector column with
/// Int32 shape columns) to instance label maps by the classical baseline (UInt32 vector column plus its shape columns).
/// Trivial: fitting learns nothing.
/// </summary>
public sealed class ThresholdSegmentationEstimator : IEstimator<ThresholdSegmentationTransformer>
{
    private readonly MLContext _ml;

    internal ThresholdSegmentationEstimator(MLContext ml, string outputColumnName, string inputColumnName, ThresholdSegmentationOptions options, string? heightColumnName, string? widthColumnName, string? depthColumnName)
    {
        _ml = ml;
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        _ = new ThresholdSegmentation(options); // validates
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options;
        HeightColumnName = heightColumnName ?? Imaging.MicroscopyImageColumns.Height(inputColumnName);
        WidthColumnName = widthColumnName ?? Imaging.MicroscopyImageColumns.Width(inputColumnName);
        DepthColumnName = depthColumnName ?? Imaging.MicroscopyImageColumns.Depth(inputColumnName);
    }

    /// <summary>The label map column to create (with its shape columns: this name + ".Height", ".Width", and ".Depth" for volumes).</summary>
    public string OutputColumnName { get; }

    /// <summary>The intensity image column.</summary>
    public string InputColumnName { get; }

    /// <summary>The height column (default: input name + ".Height").</summary>
    public string HeightColumnName { get; }

    /// <summary>The width column (default: input name + ".Width").</summary>
    public string WidthColumnName { get; }

    /// <summary>The depth column (default: input name + ".Depth"); when the input has no such column the images are 2D.</summary>
    public string DepthColumnName { get; }

    /// <summary>The segmentation options.</summary>
    public ThresholdSegmentationOptions Options { get; }

    /// <inheritdoc/>
    public ThresholdSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool is3D = LabelMapChain.CheckInput(input.Schema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, "an image");
        return new ThresholdSegmentationTransformer(BuildChain(is3D).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        BuildChain(LabelMapChain.CheckShape(inputSchema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName)).GetOutputSchema(inputSchema);

    private IEstimator<ITransformer> BuildChain(bool is3D) =>
        LabelMapChain.Build(_ml, OutputColumnName, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, is3D, ThresholdSegmentationCodec.Encode(Options),
            is3D
                ? _ml.Transforms.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(ThresholdSegmentation3DFactory.Map, ThresholdSegmentation3DFactory.ContractName)
                : _ml.Transforms.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(ThresholdSegmentation2DFactory.Map, ThresholdSegmentation2DFactory.ContractName),
            copyShapeToOutput: true);
}
