namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Estimator of <see cref="ThresholdSegmentationTransformer"/>: intensity images (variable-size Single vector column with
/// Int32 shape columns) to instance label maps by the classical baseline (UInt32 vector column plus its shape columns).
/// Trivial: fitting learns nothing.
/// </summary>
public sealed class ThresholdSegmentationEstimator : LabelMapEstimator<ThresholdSegmentationTransformer>
{
    internal ThresholdSegmentationEstimator(MLContext ml, string outputColumnName, string inputColumnName, ThresholdSegmentationOptions options, string? heightColumnName, string? widthColumnName, string? depthColumnName)
        : base(ml, outputColumnName, inputColumnName, heightColumnName, widthColumnName, depthColumnName)
    {
        _ = new ThresholdSegmentation(options); // validates
        Options = options;
    }

    /// <summary>The segmentation options.</summary>
    public ThresholdSegmentationOptions Options { get; }

    /// <inheritdoc/>
    public override ThresholdSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool is3D = CheckInput(input.Schema, "an image");
        return new ThresholdSegmentationTransformer(BuildChain(is3D).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema) => BuildChain(CheckShape(inputSchema)).GetOutputSchema(inputSchema);

    private IEstimator<ITransformer> BuildChain(bool is3D) =>
        Chain(is3D, ThresholdSegmentationCodec.Encode(Options),
            is3D
                ? Ml.Transforms.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(ThresholdSegmentation3DFactory.Map, ThresholdSegmentation3DFactory.ContractName)
                : Ml.Transforms.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(ThresholdSegmentation2DFactory.Map, ThresholdSegmentation2DFactory.ContractName));
}
