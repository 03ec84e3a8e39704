using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// The fitted <c>LoadMicroscopyImages</c> transform: a thin wrapper over a chain of public ML.NET transforms. Saving writes
/// that chain, so a loaded model holds a <see cref="TransformerChain{TLastTransformer}"/> that behaves the same.
/// </summary>
public sealed class MicroscopyImageLoadingTransformer : ChainTransformer
{
    internal MicroscopyImageLoadingTransformer(TransformerChain<ITransformer> chain, string outputColumnName, string inputColumnName)
        : base(chain)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The image column created.</summary>
    public string OutputColumnName { get; }

    /// <summary>The path column read.</summary>
    public string InputColumnName { get; }
}
