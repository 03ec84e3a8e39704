using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Segments intensity images row by row with <see cref="ThresholdSegmentation"/>. Built from public, saveable ML.NET
/// transforms (column copies, custom mappings, a value mapping holding the options): <c>mlContext.Model.Save</c> stores it
/// and <c>Model.Load</c> gives back an equivalent transformer chain.
/// </summary>
public sealed class ThresholdSegmentationTransformer : ITransformer
{
    private readonly ITransformer _chain;

    internal ThresholdSegmentationTransformer(ITransformer chain, string outputColumnName, string inputColumnName, bool is3D)
    {
        _chain = chain;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Is3D = is3D;
    }

    /// <summary>The label map column it creates.</summary>
    public string OutputColumnName { get; }

    /// <summary>The intensity image column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>True when it reads a depth column (volumes).</summary>
    public bool Is3D { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _chain.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);
}
