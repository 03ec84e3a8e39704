using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Segments intensity images row by row with <see cref="ThresholdSegmentation"/>. Built from public, saveable ML.NET
/// transforms (column copies, custom mappings, a value mapping holding the options): <c>mlContext.Model.Save</c> stores it
/// and <c>Model.Load</c> gives back an equivalent transformer chain.
/// </summary>
public sealed class ThresholdSegmentationTransformer : Persistence.ChainTransformer
{
    internal ThresholdSegmentationTransformer(ITransformer chain, string outputColumnName, string inputColumnName, bool is3D)
        : base(chain)
    {
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
}
