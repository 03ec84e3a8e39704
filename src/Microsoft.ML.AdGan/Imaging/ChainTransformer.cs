using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Base of this library's transformers: each is a chain of public, saveable ML.NET transforms, so
/// <c>mlContext.Model.Save</c> stores the chain and <c>Model.Load</c> gives back an equivalent transformer chain.
/// </summary>
public abstract class ChainTransformer : ITransformer
{
    private readonly ITransformer _chain;

    /// <summary>Wraps a fitted chain.</summary>
    private protected ChainTransformer(ITransformer chain) => _chain = chain ?? throw new ArgumentNullException(nameof(chain));

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <inheritdoc/>
    public virtual DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _chain.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public virtual IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);
}
