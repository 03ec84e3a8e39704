using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// The chain of public ML.NET transforms shared by the per-row label-map estimators (instance labelling, threshold
/// baseline): copy the input and shape columns to internal names, a constant options key, a ValueMapping to the encoded
/// options, the row mapping, copies to the output names, and a drop of the internal columns.
/// </summary>
internal static class LabelMapChain
{
    /// <summary>Checks the input and shape columns, naming what is wrong; returns true when a depth column makes it 3D.</summary>
    public static bool CheckInput(DataViewSchema schema, string input, string height, string width, string depth, string what)
    {
        var column = schema.GetColumnOrNull(input) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{input}' not found.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType t } || t.RawType != typeof(float))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{input}' must be a vector of Single ({what}) but is {column.Type}.");
        foreach (var name in new[] { height, width })
        {
            var c = schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' of '{input}' not found.");
            if (c.Type.RawType != typeof(int))
                throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' must be Int32 but is {c.Type}.");
        }
        var d = schema.GetColumnOrNull(depth);
        if (d is { } dc && dc.Type.RawType != typeof(int))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{depth}' must be Int32 but is {dc.Type}.");
        return d is not null;
    }

    /// <summary>Checks that an unfitted input shape has the columns; returns true when a depth column makes it 3D.</summary>
    public static bool CheckShape(SchemaShape inputSchema, string input, string height, string width, string depth)
    {
        foreach (var name in new[] { input, height, width })
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' not found.");
        return inputSchema.Any(c => c.Name == depth);
    }

    /// <summary>
    /// Builds the chain; <paramref name="mapping"/> is the row mapping for the data's dimensionality, and
    /// <paramref name="extraInput"/> (optional) adds further internal input columns, named in <paramref name="extraColumns"/> to be dropped.
    /// </summary>
    public static IEstimator<ITransformer> Build(MLContext ml, string output, string input, string height, string width, string depth, bool is3D,
        float[] encodedOptions, IEstimator<ITransformer> mapping, bool copyShapeToOutput, IEstimator<ITransformer>? extraInput = null, IReadOnlyList<string>? extraColumns = null)
    {
        var copies = new List<InputOutputColumnPair>
        {
            new(InstanceLabelRows.MapColumn, input),
            new(InstanceLabelRows.HeightColumn, height),
            new(InstanceLabelRows.WidthColumn, width),
        };
        var outputs = new List<InputOutputColumnPair> { new(output, InstanceLabelRows.LabelsColumn) };
        var drop = new List<string> { InstanceLabelRows.MapColumn, InstanceLabelRows.HeightColumn, InstanceLabelRows.WidthColumn, InstanceLabelRows.OptionsKeyColumn, InstanceLabelRows.OptionsColumn, InstanceLabelRows.LabelsColumn };
        if (is3D)
        {
            copies.Add(new(InstanceLabelRows.DepthColumn, depth));
            drop.Add(InstanceLabelRows.DepthColumn);
        }
        if (copyShapeToOutput)
        {
            outputs.Add(new(Imaging.MicroscopyImageColumns.Height(output), InstanceLabelRows.HeightColumn));
            outputs.Add(new(Imaging.MicroscopyImageColumns.Width(output), InstanceLabelRows.WidthColumn));
            if (is3D)
                outputs.Add(new(Imaging.MicroscopyImageColumns.Depth(output), InstanceLabelRows.DepthColumn));
        }
        var options = new[] { new KeyValuePair<string, float[]>(InstanceLabelKeyFactory.Key, encodedOptions) };
        IEstimator<ITransformer> chain = ml.Transforms.CopyColumns(copies[0].OutputColumnName, copies[0].InputColumnName);
        foreach (var pair in copies.Skip(1))
            chain = chain.Append(ml.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName));
        if (extraInput is not null)
            chain = chain.Append(extraInput);
        drop.AddRange(extraColumns ?? Array.Empty<string>());
        chain = chain.Append(ml.Transforms.CustomMapping<InstanceLabelRows.KeyInput, InstanceLabelRows.KeyOutput>(InstanceLabelKeyFactory.Map, InstanceLabelKeyFactory.ContractName))
            .Append(ml.Transforms.Conversion.MapValue(InstanceLabelRows.OptionsColumn, options, InstanceLabelRows.OptionsKeyColumn))
            .Append(mapping);
        foreach (var pair in outputs)
            chain = chain.Append(ml.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName));
        return chain.Append(ml.Transforms.DropColumns(drop.ToArray()));
    }
}
