using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML;

/// <summary>Adds this library's transforms to an <see cref="MLContext"/>: <c>mlContext.Nuclei().Segment(...)</c>.</summary>
public static class NucleiCatalogExtensions
{
    /// <summary>
    /// The nucleus segmentation catalog of <paramref name="mlContext"/>. It hangs on the context itself, not on
    /// <c>mlContext.Transforms</c>, because ML.NET keeps a catalog's environment internal: from here every transform gets the
    /// context, so its log and GPU settings apply.
    /// </summary>
    public static NucleiCatalog Nuclei(this MLContext mlContext) => new(mlContext ?? throw new ArgumentNullException(nameof(mlContext)));
}

/// <summary>
/// Nucleus segmentation for ML.NET pipelines: AD-GAN (trained without labels in <c>Fit</c>), instance labelling of decoded
/// maps, and the classical threshold baseline. Image columns are float images from <c>LoadMicroscopyImages</c> (any bit
/// depth, 2D or volumes) or MLImage columns from <c>LoadImages</c> (8-bit, 2D).
/// </summary>
public sealed class NucleiCatalog
{
    private readonly MLContext _ml;

    internal NucleiCatalog(MLContext mlContext) => _ml = mlContext;

    /// <summary>
    /// Trains AD-GAN on the images of <paramref name="imageColumnName"/> with the default options (sized for a CPU) and segments
    /// them: instance labels in <paramref name="outputColumnName"/> (UInt32 vector, 0 = background, with ".Height", ".Width",
    /// for volumes ".Depth", and ".Count" and ".WorkingScale" columns) and the decoded map in <paramref name="decodedColumnName"/>
    /// (Single vector in [-1, 1] with its shape columns).
    /// </summary>
    public AdGanSegmentationEstimator Segment(string outputColumnName = "Instances", string imageColumnName = "Image", string decodedColumnName = "Decoded")
        => Segment(new AdGanSegmentationEstimator.Options { OutputColumnName = outputColumnName, ImageColumnName = imageColumnName, DecodedColumnName = decodedColumnName });

    /// <summary>As <see cref="Segment(string, string, string)"/> with the given options (columns, training, labelling); the options are not changed.</summary>
    public AdGanSegmentationEstimator Segment(AdGanSegmentationEstimator.Options options) => new(_ml, options);

    /// <summary>
    /// A transformer that segments with an already trained <paramref name="model"/> (loaded or imported) for data shaped like
    /// <paramref name="schemaSource"/>; the same columns as <see cref="Segment(string, string, string)"/>'s. With
    /// <paramref name="network"/> it segments with that network of the model (null: the one its settings name);
    /// <see cref="SegmentationNetwork.Student"/> needs a model that carries a student.
    /// </summary>
    public AdGanSegmentationTransformer Segment(AdGanSegmentationModel model, IDataView schemaSource, string outputColumnName = "Instances", string imageColumnName = "Image",
        string decodedColumnName = "Decoded", SegmentationNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (network is not { } chosen || chosen == model.Settings.Network)
            return AdGanSegmentationEstimator.CreateTransformer(_ml, model, schemaSource, outputColumnName, imageColumnName, decodedColumnName);
        if (chosen == SegmentationNetwork.Student && model.Student is null)
            throw new ArgumentException($"Model {model.Id} carries no student network: train one with the model (AdGanTrainerOptions.Student) or segment with the generator.", nameof(network));
        // A view of the same weights (valid while the model is): the transformer's Model says which network it runs.
        var view = model.WithSettings(model.Settings with { Network = chosen });
        return AdGanSegmentationEstimator.CreateTransformer(_ml, view, schemaSource, outputColumnName, imageColumnName, decodedColumnName);
    }

    /// <summary>
    /// Labels the decoded maps of <paramref name="inputColumnName"/> (variable-size Single vector, row-major) with the default
    /// options into <paramref name="outputColumnName"/> (UInt32 vector, 0 = background, with ".Height", ".Width" and for volumes
    /// ".Depth" columns). Shapes come from Int32 columns named input name + ".Height", ".Width" and optionally ".Depth".
    /// </summary>
    public InstanceLabelEstimator LabelInstances(string outputColumnName, string inputColumnName = "Decoded")
        => LabelInstances(outputColumnName, inputColumnName, new InstanceLabelOptions());

    /// <summary>
    /// As <see cref="LabelInstances(string, string)"/> with <paramref name="options"/> (copied). With
    /// <paramref name="imageColumnName"/> (the image the maps were decoded from: a float image or an MLImage of the same size)
    /// boundaries are refined within <see cref="InstanceLabelOptions.ImageBoundaryBand"/>, which needs it.
    /// </summary>
    public InstanceLabelEstimator LabelInstances(string outputColumnName, string inputColumnName, InstanceLabelOptions options, string? imageColumnName = null,
        string? heightColumnName = null, string? widthColumnName = null, string? depthColumnName = null)
        => new(_ml, outputColumnName, inputColumnName, options, imageColumnName, heightColumnName, widthColumnName, depthColumnName);

    /// <summary>
    /// Segments the intensity images of <paramref name="inputColumnName"/> (variable-size Single vector, row-major, any range)
    /// with the classical baseline (<see cref="ThresholdSegmentation"/>) and default options into <paramref name="outputColumnName"/>
    /// (UInt32 vector, 0 = background, with ".Height", ".Width" and for volumes ".Depth" columns).
    /// </summary>
    public ThresholdSegmentationEstimator SegmentWithThreshold(string outputColumnName, string inputColumnName = "Image")
        => SegmentWithThreshold(outputColumnName, inputColumnName, new ThresholdSegmentationOptions());

    /// <summary>As <see cref="SegmentWithThreshold(string, string)"/> with <paramref name="options"/>; shape columns default to input name + ".Height", ".Width", ".Depth".</summary>
    public ThresholdSegmentationEstimator SegmentWithThreshold(string outputColumnName, string inputColumnName, ThresholdSegmentationOptions options,
        string? heightColumnName = null, string? widthColumnName = null, string? depthColumnName = null)
        => new(_ml, outputColumnName, inputColumnName, options, heightColumnName, widthColumnName, depthColumnName);

    /// <summary>
    /// Reads the label maps of <paramref name="columnName"/> (UInt32 vector with ".Height", ".Width" and optionally ".Depth"
    /// columns, as <see cref="Segment(string, string, string)"/>, <see cref="LabelInstances(string, string)"/> and
    /// <see cref="SegmentWithThreshold(string, string)"/> write them) out of <paramref name="data"/>, one per row, with their shapes
    /// (a depth above 1 makes a volume).
    /// </summary>
    public IEnumerable<ImageBuffer<uint>> ReadLabelMaps(IDataView data, string columnName = "Instances")
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"Label map column '{columnName}' not found.");
        if (labels.Type is not VectorDataViewType { ItemType: NumberDataViewType n } || n.RawType != typeof(uint))
            throw new ArgumentOutOfRangeException(nameof(columnName), $"Column '{columnName}' must be a vector of UInt32 (a label map), not {labels.Type}.");
        var height = ShapeColumn(data.Schema, MicroscopyImageColumns.Height(columnName), required: true)!.Value;
        var width = ShapeColumn(data.Schema, MicroscopyImageColumns.Width(columnName), required: true)!.Value;
        var depth = ShapeColumn(data.Schema, MicroscopyImageColumns.Depth(columnName), required: false);
        return Read(data, labels, height, width, depth);
    }

    private static IEnumerable<ImageBuffer<uint>> Read(IDataView data, DataViewSchema.Column labels, DataViewSchema.Column height, DataViewSchema.Column width, DataViewSchema.Column? depth)
    {
        var columns = new List<DataViewSchema.Column> { labels, height, width };
        if (depth is { } dc)
            columns.Add(dc);
        using var cursor = data.GetRowCursor(columns);
        var getLabels = cursor.GetGetter<VBuffer<uint>>(labels);
        var getHeight = cursor.GetGetter<int>(height);
        var getWidth = cursor.GetGetter<int>(width);
        var getDepth = depth is { } d ? cursor.GetGetter<int>(d) : null;
        VBuffer<uint> values = default;
        int h = 0, w = 0, z = 1;
        while (cursor.MoveNext())
        {
            getLabels(ref values);
            getHeight(ref h);
            getWidth(ref w);
            getDepth?.Invoke(ref z);
            var shape = z > 1 ? ImageShape.Of3D(z, h, w) : ImageShape.Of2D(h, w);
            if (shape.Length != values.Length)
                throw new InvalidOperationException($"Row {cursor.Position} of '{labels.Name}' holds {values.Length} labels but its shape columns say {shape}.");
            yield return new ImageBuffer<uint>(values.DenseValues().ToArray(), shape);
        }
    }

    private static DataViewSchema.Column? ShapeColumn(DataViewSchema schema, string name, bool required)
    {
        var column = schema.GetColumnOrNull(name);
        if (column is null)
            return required ? throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' not found.") : null;
        if (column.Value.Type != NumberDataViewType.Int32)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Shape column '{name}' must be Int32, not {column.Value.Type}.");
        return column;
    }
}
