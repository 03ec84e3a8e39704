using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Labels decoded maps row by row with <see cref="InstanceLabeler"/>. Built from public, saveable ML.NET transforms
/// (column copies, custom mappings, a value mapping holding the options): <c>mlContext.Model.Save</c> stores it and
/// <c>Model.Load</c> gives back an equivalent transformer chain.
/// </summary>
public sealed class InstanceLabelTransformer : Persistence.ChainTransformer
{
    internal InstanceLabelTransformer(ITransformer chain, string outputColumnName, string inputColumnName, bool is3D)
        : base(chain)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Is3D = is3D;
    }

    /// <summary>The label map column it creates.</summary>
    public string OutputColumnName { get; }

    /// <summary>The decoded map column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>True when it reads a depth column (volumes).</summary>
    public bool Is3D { get; }
}
