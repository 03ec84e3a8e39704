using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace AdGan.Samples.Onnx;

/// <summary>
/// Runs an exported AD-GAN graph (adgan export --onnx) through ML.NET's <c>ApplyOnnxModel</c>: the image is normalised and
/// resized to the working scale as the graph's metadata says, decoded as one input (so instance normalisation sees the
/// whole image, as the library's default tiling does), and the decoded map is labelled with the model's labelling defaults.
/// </summary>
public static class OnnxSample
{
    /// <summary>
    /// The decoded maps (in [-1, 1]) of normalised tiles of <paramref name="height"/> x <paramref name="width"/> pixels
    /// through <c>ApplyOnnxModel</c>, one row per tile.
    /// </summary>
    public static IReadOnlyList<float[]> Decode(MLContext ml, string onnxPath, IEnumerable<float[]> tiles, int height, int width)
    {
        var schema = SchemaDefinition.Create(typeof(TileRow));
        schema[AdGanOnnxFormat.InputName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, height * width);
        var data = ml.Data.LoadFromEnumerable(tiles.Select(t => new TileRow { Image = t }), schema);
        // The graph takes any tile size; ML.NET needs fixed shapes, so this size is given for its input and output.
        var shape = new[] { 1, 1, height, width };
        var estimator = ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = onnxPath,
            InputColumns = new[] { AdGanOnnxFormat.InputName },
            OutputColumns = new[] { AdGanOnnxFormat.OutputName },
            ShapeDictionary = new Dictionary<string, int[]> { [AdGanOnnxFormat.InputName] = shape, [AdGanOnnxFormat.OutputName] = shape },
        });
        using var transformer = estimator.Fit(data);
        return transformer.Transform(data).GetColumn<float[]>(AdGanOnnxFormat.OutputName).ToList();
    }

    /// <summary>The decoded map and label map of a raw 2D image with the exported graph at <paramref name="onnxPath"/>.</summary>
    public static (ImageBuffer<float> Decoded, ImageBuffer<uint> Labels) Segment(MLContext ml, string onnxPath, ImageBuffer<float> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var (settings, labelling) = ReadMetadata(onnxPath);
        if (settings.Dimensions != 2 || raw.Shape.Is3D)
            throw new ArgumentException($"This sample segments 2D images with 2D models; '{onnxPath}' has {settings.Dimensions} dimensions and the image is {raw.Shape}.");
        if (settings.PerImageScale || settings.TestTimeAugmentation)
            throw new ArgumentException($"'{onnxPath}' asks for per-image scale or test-time augmentation, which this sample does not do; the library's NucleusSegmenter does.");
        var normalized = IntensityNormalizer.Normalize(raw, settings.Normalization);
        double scale = settings.ImageScale;
        var working = scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
        var map = Decode(ml, onnxPath, new[] { working.Data }, working.Shape.Height, working.Shape.Width)[0];
        var decoded = new ImageBuffer<float>(map, working.Shape, working.VoxelSize);
        if (scale != 1.0)
            decoded = ImageResampler.Resize(decoded, raw.Shape, antiAlias: false);
        var labeler = new InstanceLabeler(labelling);
        var labels = labelling.ImageBoundaryBand > 0 ? labeler.Label(decoded, raw) : labeler.Label(decoded);
        return (decoded, labels);
    }

    /// <summary>The inference settings and labelling defaults stored in the graph's metadata.</summary>
    public static (AdGanInferenceSettings Settings, InstanceLabelOptions Labelling) ReadMetadata(string onnxPath)
    {
        using var network = new OnnxSegmentationNetwork(onnxPath);
        var settings = JsonSerializer.Deserialize<AdGanInferenceSettings>(network.InferenceSettingsJson, AdGanOnnxFormat.JsonOptions)
            ?? throw new InvalidDataException($"'{onnxPath}' has empty inference settings.");
        var labelling = JsonSerializer.Deserialize<InstanceLabelOptions>(network.Metadata[AdGanOnnxFormat.LabellingKey], AdGanOnnxFormat.JsonOptions)
            ?? throw new InvalidDataException($"'{onnxPath}' has empty labelling settings.");
        return (settings, labelling);
    }

    /// <summary>One normalised tile, row-major, in the column the graph's input is named after.</summary>
    private sealed class TileRow
    {
        [ColumnName(AdGanOnnxFormat.InputName)]
        public float[] Image { get; set; } = Array.Empty<float>();
    }
}
