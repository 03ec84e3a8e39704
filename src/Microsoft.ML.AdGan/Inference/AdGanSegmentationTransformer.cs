using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A trained AD-GAN segmenter as an ML.NET transformer: adds the decoded map (float vector in [-1, 1]), its shape
/// columns and a binary mask column "&lt;output&gt;.Mask". Saved through public transforms; a loaded model is a
/// <see cref="TransformerChain{TLastTransformer}"/> that gives identical outputs.
/// </summary>
public sealed class AdGanSegmentationTransformer : Persistence.ChainTransformer
{
    internal AdGanSegmentationTransformer(ITransformer chain, AdGanSegmentationModel model, string imageColumnName, string outputColumnName)
        : base(chain)
    {
        Model = model;
        ImageColumnName = imageColumnName;
        OutputColumnName = outputColumnName;
    }

    /// <summary>The trained model (usable without ML.NET).</summary>
    public AdGanSegmentationModel Model { get; }

    /// <summary>The image column read.</summary>
    public string ImageColumnName { get; }

    /// <summary>The decoded-map column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The binary mask column written.</summary>
    public string MaskColumnName => AdGanTransformChain.MaskColumn(OutputColumnName);

    /// <inheritdoc/>
    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        AdGanTransformChain.CheckInput(inputSchema, ImageColumnName);
        return base.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AdGanTransformChain.CheckInput(input.Schema, ImageColumnName);
        return base.Transform(input);
    }
}
