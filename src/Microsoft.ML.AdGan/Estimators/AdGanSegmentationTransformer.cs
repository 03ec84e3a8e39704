using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// A trained AD-GAN segmenter as an ML.NET transformer: runs the segmentation pipeline (<see cref="NucleusSegmenter"/>) on
/// every row and adds the instance labels (UInt32 vector, 0 = background) with their ".Height", ".Width" (and for volume
/// models ".Depth"), ".Count" (Int32) and ".WorkingScale" (Double) columns, and the decoded map (Single vector in [-1, 1])
/// with its shape columns. Saved through public transforms; a loaded model is a <see cref="Data.TransformerChain{TLastTransformer}"/> that
/// gives identical outputs. Transforming sets no process-wide state (threads stay as the caller set them).
/// </summary>
public sealed class AdGanSegmentationTransformer : ChainTransformer
{
    private readonly bool _isMLImage;
    private readonly bool _hasVoxelSize;

    internal AdGanSegmentationTransformer(ITransformer chain, AdGanSegmentationModel model, AdGanTransformChain.Columns columns, bool isMLImage, bool hasVoxelSize)
        : base(chain)
    {
        Model = model;
        ImageColumnName = columns.Image;
        OutputColumnName = columns.Labels;
        DecodedColumnName = columns.Decoded;
        _isMLImage = isMLImage;
        _hasVoxelSize = hasVoxelSize;
    }

    /// <summary>The trained model (usable without ML.NET through <see cref="NucleusSegmenter"/>).</summary>
    public AdGanSegmentationModel Model { get; }

    /// <summary>The image column read.</summary>
    public string ImageColumnName { get; }

    /// <summary>The label map column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The decoded-map column written.</summary>
    public string DecodedColumnName { get; }

    /// <summary>The nucleus count column written (Int32).</summary>
    public string CountColumnName => OutputColumnName + AdGanTransformChain.CountSuffix;

    /// <summary>The working scale column written (Double: the factor each image was resized by before the network).</summary>
    public string WorkingScaleColumnName => OutputColumnName + AdGanTransformChain.WorkingScaleSuffix;

    /// <inheritdoc/>
    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return base.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return base.Transform(input);
    }

    private void CheckInput(DataViewSchema schema)
    {
        bool isMLImage = ImageColumnInput.Check(schema, ImageColumnName);
        if (isMLImage != _isMLImage)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Image column '{ImageColumnName}' is {(isMLImage ? "an MLImage" : "a float image")} here but was {(_isMLImage ? "an MLImage" : "a float image")} when the transformer was made.");
        if (_hasVoxelSize && !ImageColumnInput.HasVoxelSize(schema, ImageColumnName))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Voxel size column '{MicroscopyImageColumns.VoxelSize(ImageColumnName)}' was there when the transformer was made and is missing now.");
    }
}
