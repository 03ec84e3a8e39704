using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// The fitted <c>LoadMicroscopyImages</c> transform: a thin wrapper over a chain of public ML.NET transforms. Saving writes
/// that chain, so a loaded model holds a <see cref="TransformerChain{TLastTransformer}"/> that behaves the same.
/// </summary>
public sealed class MicroscopyImageLoadingTransformer : ITransformer
{
    private readonly TransformerChain<ITransformer> _chain;

    internal MicroscopyImageLoadingTransformer(TransformerChain<ITransformer> chain, string outputColumnName, string inputColumnName)
    {
        _chain = chain;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The image column created.</summary>
    public string OutputColumnName { get; }

    /// <summary>The path column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)_chain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_chain).Save(ctx);
}
