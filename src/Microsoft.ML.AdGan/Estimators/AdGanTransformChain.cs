using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// The public ML.NET transforms an AD-GAN transformer is made of, so that plain <c>mlContext.Model.Save/Load</c>
/// round-trips it: the image column brought to internal columns (a float image or an MLImage), a constant key, a
/// ValueMapping from the key to the serialised model, the segment mapping (the segmentation pipeline), copies to the
/// user's output names, and a drop of the internal columns.
/// </summary>
internal static class AdGanTransformChain
{
    private const string Key = "__AdGanKey";

    /// <summary>The user's column names.</summary>
    /// <param name="Labels">The label map column (with ".Height", ".Width", for volumes ".Depth", ".Count", ".WorkingScale").</param>
    /// <param name="Image">The image column read.</param>
    /// <param name="Decoded">The decoded-map column (with ".Depth", ".Height", ".Width").</param>
    public sealed record Columns(string Labels, string Image, string Decoded);

    /// <summary>Suffix of the nucleus count column of a label map column.</summary>
    public const string CountSuffix = ".Count";

    /// <summary>Suffix of the working scale column of a label map column.</summary>
    public const string WorkingScaleSuffix = ".WorkingScale";

    /// <summary>
    /// The chain for a model of <paramref name="dimensions"/> (2 or 3): volumes get ".Depth" output columns, images do not,
    /// so labelling their decoded maps downstream treats them as images.
    /// </summary>
    public static IEstimator<ITransformer> Build(MLContext ml, byte[] blob, Columns columns, bool isMLImage, bool hasVoxelSize, int dimensions)
    {
        var t = ml.Transforms;
        var weights = new[] { new KeyValuePair<string, byte[]>(ModelKeyMapping.Key, blob) };
        var targets = new ImageColumnInput.Targets(NucleusSegmentMapping.ImageColumn, NucleusSegmentMapping.DepthColumn, NucleusSegmentMapping.HeightColumn, NucleusSegmentMapping.WidthColumn, NucleusSegmentMapping.VoxelSizeColumn);
        var outputs = new (string Output, string Input)[]
        {
            (columns.Labels, NucleusSegmentMapping.LabelsColumn),
            (MicroscopyImageColumns.Depth(columns.Labels), NucleusSegmentMapping.DepthColumn),
            (MicroscopyImageColumns.Height(columns.Labels), NucleusSegmentMapping.HeightColumn),
            (MicroscopyImageColumns.Width(columns.Labels), NucleusSegmentMapping.WidthColumn),
            (columns.Labels + CountSuffix, NucleusSegmentMapping.CountColumn),
            (columns.Labels + WorkingScaleSuffix, NucleusSegmentMapping.ScaleColumn),
            (columns.Decoded, NucleusSegmentMapping.DecodedColumn),
            (MicroscopyImageColumns.Depth(columns.Decoded), NucleusSegmentMapping.DepthColumn),
            (MicroscopyImageColumns.Height(columns.Decoded), NucleusSegmentMapping.HeightColumn),
            (MicroscopyImageColumns.Width(columns.Decoded), NucleusSegmentMapping.WidthColumn),
        };
        IEstimator<ITransformer> chain = ImageColumnInput.Build(ml, columns.Image, isMLImage, hasVoxelSize, targets)
            .Append(t.CustomMapping(new ModelKeyMapping().GetMapping(), ModelKeyMapping.ContractName))
            .Append(t.Conversion.MapValue(NucleusSegmentMapping.WeightsColumn, weights, Key))
            .Append(t.CustomMapping(new NucleusSegmentMapping().GetMapping(), NucleusSegmentMapping.ContractName));
        foreach (var (output, input) in outputs)
            if (dimensions == 3 || !output.EndsWith(MicroscopyImageColumns.DepthSuffix, StringComparison.Ordinal))
                chain = chain.Append(t.CopyColumns(output, input));
        return chain.Append(t.DropColumns(NucleusSegmentMapping.ImageColumn, NucleusSegmentMapping.DepthColumn, NucleusSegmentMapping.HeightColumn, NucleusSegmentMapping.WidthColumn,
            NucleusSegmentMapping.VoxelSizeColumn, Key, NucleusSegmentMapping.WeightsColumn, NucleusSegmentMapping.LabelsColumn, NucleusSegmentMapping.DecodedColumn,
            NucleusSegmentMapping.CountColumn, NucleusSegmentMapping.ScaleColumn));
    }
}
