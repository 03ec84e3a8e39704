using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.AdGan.Deployment;

/// <summary>
/// The contract of an exported AD-GAN ONNX graph: the names of its one input and one output, and the keys of the JSON
/// its <c>metadata_props</c> hold. The input is a normalised image tile (N, 1, H, W) or volume tile (N, 1, D, H, W) at the
/// working scale, any size of at least 5 per axis (the graph pads each axis up to a multiple of 4 by reflection at its end
/// and crops the output back); the output is the decoded map tanh(G(E(x, image), mask)) of the same shape, in [-1, 1].
/// Instance normalisation uses each input's own statistics: a tile by itself, or a whole image given as one input. When the
/// recorded settings' <c>Network</c> is <c>Student</c>, the graph is the model's student network instead (any size of at
/// least 1, padded by replication to a multiple of 2^depth; output tanh(S(x)); no normalisation layers).
/// </summary>
public static class AdGanOnnxFormat
{
    /// <summary>Name of the graph input: the normalised tile.</summary>
    public const string InputName = "image";

    /// <summary>Name of the graph output: the decoded map.</summary>
    public const string OutputName = "decoded";

    /// <summary>Version of this contract, stored under <see cref="FormatKey"/>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Key of the contract version (an integer).</summary>
    public const string FormatKey = "adgan.format";

    /// <summary>Key of the model id (the id of the model zip it was exported from).</summary>
    public const string ModelIdKey = "adgan.model_id";

    /// <summary>Key of the inference settings (normalisation, working scale, tiling, coding, thresholds, trained semi-axis) as JSON.</summary>
    public const string InferenceSettingsKey = "adgan.inference_settings";

    /// <summary>Key of the labelling defaults for this model's decoded maps, as JSON.</summary>
    public const string LabellingKey = "adgan.labelling";

    /// <summary>Key of the instance-normalisation statistics the graph computes: always <see cref="PerInputStatistics"/>.</summary>
    public const string InstanceStatisticsKey = "adgan.instance_statistics";

    /// <summary>The value of <see cref="InstanceStatisticsKey"/>: each input is normalised with its own statistics.</summary>
    public const string PerInputStatistics = "per-input";

    /// <summary>JSON options of the metadata values (enums as names, so other languages can read them).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
