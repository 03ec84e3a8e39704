namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Segments intensity images row by row with <see cref="ThresholdSegmentation"/>. Built from public, saveable ML.NET
/// transforms (column copies, custom mappings, a value mapping holding the options): <c>mlContext.Model.Save</c> stores it
/// and <c>Model.Load</c> gives back an equivalent transformer chain.
/// </summary>
public sealed class ThresholdSegmentationTransformer : LabelMapTransformer
{
    internal ThresholdSegmentationTransformer(ITransformer chain, string outputColumnName, string inputColumnName, bool is3D)
        : base(chain, outputColumnName, inputColumnName, is3D)
    {
    }
}
