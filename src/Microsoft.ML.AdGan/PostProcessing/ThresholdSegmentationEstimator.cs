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
        bool is3D = Check(input.Schema);
        return new ThresholdSegmentationTransformer(BuildChain(is3D).Fit(input), OutputColumnName, InputColumnName, is3D);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        bool is3D = inputSchema.Any(c => c.Name == DepthColumnName);
        foreach (var name in new[] { InputColumnName, HeightColumnName, WidthColumnName })
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' not found.");
        return BuildChain(is3D).GetOutputSchema(inputSchema);
    }

    private bool Check(DataViewSchema schema)
    {
        var image = schema.GetColumnOrNull(InputColumnName) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{InputColumnName}' not found.");
        if (image.Type is not VectorDataViewType { ItemType: NumberDataViewType t } || t.RawType != typeof(float))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{InputColumnName}' must be a vector of Single (an image) but is {image.Type}.");
        foreach (var name in new[] { HeightColumnName, WidthColumnName })
        {
            var c = schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' of '{InputColumnName}' not found.");
            if (c.Type.RawType != typeof(int))
                throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' must be Int32 but is {c.Type}.");
        }

        var depth = schema.GetColumnOrNull(DepthColumnName);
        if (depth is { } d && d.Type.RawType != typeof(int))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{DepthColumnName}' must be Int32 but is {d.Type}.");
        return depth is not null;
    }

    private IEstimator<ITransformer> BuildChain(bool is3D)
    {
        var copies = new List<InputOutputColumnPair>
        {
            new(InstanceLabelRows.MapColumn, InputColumnName),
            new(InstanceLabelRows.HeightColumn, HeightColumnName),
            new(InstanceLabelRows.WidthColumn, WidthColumnName),
        };
        if (is3D)
            copies.Add(new(InstanceLabelRows.DepthColumn, DepthColumnName));
        var options = new[] { new KeyValuePair<string, float[]>(InstanceLabelKeyFactory.Key, ThresholdSegmentationCodec.Encode(Options)) };
        IEstimator<ITransformer> chain = _ml.Transforms.CopyColumns(copies[0].OutputColumnName, copies[0].InputColumnName);
        foreach (var pair in copies.Skip(1))
            chain = chain.Append(_ml.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName));
        chain = chain.Append(_ml.Transforms.CustomMapping<InstanceLabelRows.KeyInput, InstanceLabelRows.KeyOutput>(InstanceLabelKeyFactory.Map, InstanceLabelKeyFactory.ContractName))
            .Append(_ml.Transforms.Conversion.MapValue(InstanceLabelRows.OptionsColumn, options, InstanceLabelRows.OptionsKeyColumn));
        chain = is3D
            ? chain.Append(_ml.Transforms.CustomMapping<InstanceLabelRows.Input3D, InstanceLabelRows.Output>(ThresholdSegmentation3DFactory.Map, ThresholdSegmentation3DFactory.ContractName))
            : chain.Append(_ml.Transforms.CustomMapping<InstanceLabelRows.Input2D, InstanceLabelRows.Output>(ThresholdSegmentation2DFactory.Map, ThresholdSegmentation2DFactory.ContractName));
        var drop = new List<string> { InstanceLabelRows.MapColumn, InstanceLabelRows.HeightColumn, InstanceLabelRows.WidthColumn, InstanceLabelRows.OptionsKeyColumn, InstanceLabelRows.OptionsColumn, InstanceLabelRows.LabelsColumn };
        var outputs = new List<InputOutputColumnPair>
        {
            new(OutputColumnName, InstanceLabelRows.LabelsColumn),
            new(Imaging.MicroscopyImageColumns.Height(OutputColumnName), InstanceLabelRows.HeightColumn),
            new(Imaging.MicroscopyImageColumns.Width(OutputColumnName), InstanceLabelRows.WidthColumn),
        };
        if (is3D)
        {
            drop.Add(InstanceLabelRows.DepthColumn);
            outputs.Add(new(Imaging.MicroscopyImageColumns.Depth(OutputColumnName), InstanceLabelRows.DepthColumn));
        }

        foreach (var pair in outputs)
            chain = chain.Append(_ml.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName));
        return chain.Append(_ml.Transforms.DropColumns(drop.ToArray()));
    }
}
