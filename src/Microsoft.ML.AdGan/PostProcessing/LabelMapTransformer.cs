using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Base of the transformers that turn one vector column with shape columns into an instance label map column.</summary>
public abstract class LabelMapTransformer : ChainTransformer
{
    private protected LabelMapTransformer(ITransformer chain, string outputColumnName, string inputColumnName, bool is3D)
        : base(chain)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Is3D = is3D;
    }

    /// <summary>The label map column it creates.</summary>
    public string OutputColumnName { get; }

    /// <summary>The column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>True when it reads a depth column (volumes).</summary>
    public bool Is3D { get; }
}
