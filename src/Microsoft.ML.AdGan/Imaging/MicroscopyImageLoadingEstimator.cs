using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Reads the microscopy image named in a text column into a float vector column plus shape, voxel size and bit depth columns
/// (see <see cref="MicroscopyImageColumns"/>). Fitting learns nothing. The transformer is built from public ML.NET transforms
/// (column copies, two custom mappings and a value mapping that stores the options), so <c>mlContext.Model.Save</c> and
/// <c>Load</c> round-trip it. Images are read lazily, when a cursor reaches the row; an unreadable file throws a
/// <see cref="MicroscopyImageException"/> naming the column and the file.
/// </summary>
public sealed class MicroscopyImageLoadingEstimator : IEstimator<MicroscopyImageLoadingTransformer>
{
    private readonly TransformsCatalog _catalog;

    internal MicroscopyImageLoadingEstimator(TransformsCatalog catalog, MicroscopyImageLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName, nameof(options.InputColumnName));
        ArgumentNullException.ThrowIfNull(options.ReadOptions, nameof(options.ReadOptions));
        options.ReadOptions.Validate();
        options.Normalization?.Validate();
        _catalog = catalog;
        Options = options;
    }

    /// <summary>The options (read when fitting).</summary>
    public MicroscopyImageLoadingOptions Options { get; }

    /// <inheritdoc/>
    public MicroscopyImageLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(Options.InputColumnName);
        if (column is null)
            throw NotFound();
        if (column.Value.Type is not TextDataViewType)
            throw WrongType(column.Value.Type.ToString() ?? "unknown");
        return new MicroscopyImageLoadingTransformer(BuildChain().Fit(input), Options.OutputColumnName, Options.InputColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        CheckInput(inputSchema);
        return BuildChain().GetOutputSchema(inputSchema);
    }

    private void CheckInput(SchemaShape schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var name = Options.InputColumnName;
        var found = schema.Where(c => c.Name == name).ToList();
        if (found.Count == 0)
            throw NotFound();
        var column = found[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw WrongType($"{column.Kind} of {column.ItemType}");
    }

    private ArgumentOutOfRangeException NotFound()
        => new("inputSchema", $"LoadMicroscopyImages: input column '{Options.InputColumnName}' (file paths) was not found in the data.");

    private ArgumentOutOfRangeException WrongType(string actual)
        => new("inputSchema", $"LoadMicroscopyImages: input column '{Options.InputColumnName}' must be a scalar text column of file paths, but it is {actual}.");

    private EstimatorChain<ITransformer> BuildChain()
    {
        var c = _catalog;
        var settings = MicroscopyImageLoading.Settings.From(Options).ToJson();
        string output = Options.OutputColumnName;
        string[] temporary =
        {
            MicroscopyImageLoading.PathColumn, MicroscopyImageLoading.KeyColumn, MicroscopyImageLoading.SettingsColumn,
            MicroscopyImageLoading.ImageColumn, MicroscopyImageLoading.DepthColumn, MicroscopyImageLoading.HeightColumn,
            MicroscopyImageLoading.WidthColumn, MicroscopyImageLoading.VoxelSizeColumn, MicroscopyImageLoading.BitsColumn,
            MicroscopyImageLoading.WarningsColumn,
        };
        return new EstimatorChain<ITransformer>()
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageLoading.PathColumn, Options.InputColumnName))
            .Append<ITransformer>(c.CustomMapping<MicroscopyPathRow, MicroscopyKeyRow>(MicroscopyKeyMappingFactory.Map, MicroscopyImageLoading.KeyContract))
            .Append<ITransformer>(c.Conversion.MapValue(MicroscopyImageLoading.SettingsColumn,
                new[] { new KeyValuePair<string, string>(MicroscopyImageLoading.KeyValue, settings) }, MicroscopyImageLoading.KeyColumn))
            .Append<ITransformer>(c.CustomMapping<MicroscopyPathSettingsRow, MicroscopyImageRow>(MicroscopyLoadMappingFactory.Map, MicroscopyImageLoading.LoadContract))
            .Append<ITransformer>(c.CopyColumns(output, MicroscopyImageLoading.ImageColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.Depth(output), MicroscopyImageLoading.DepthColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.Height(output), MicroscopyImageLoading.HeightColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.Width(output), MicroscopyImageLoading.WidthColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.VoxelSize(output), MicroscopyImageLoading.VoxelSizeColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.BitsPerSample(output), MicroscopyImageLoading.BitsColumn))
            .Append<ITransformer>(c.CopyColumns(MicroscopyImageColumns.Warnings(output), MicroscopyImageLoading.WarningsColumn))
            .Append<ITransformer>(c.DropColumns(temporary));
    }
}
