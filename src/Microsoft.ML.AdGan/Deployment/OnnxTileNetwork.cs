using System.Text.Json;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Deployment;

/// <summary>
/// An exported network on ONNX Runtime as the segmentation pipeline's <see cref="ITileNetwork"/>. It accepts the tiles the
/// exported network accepts in TorchSharp (the generator's or the student's minimum side), so the pipeline pads small images
/// and cuts large ones exactly as it does for TorchSharp; the graph pads each tile as the network's forward does. The graph
/// normalises every input with its own statistics, so it cannot pool image statistics; a run stops within a tile on
/// cancellation. Holds no per-call state.
/// </summary>
internal sealed class OnnxTileNetwork : ITileNetwork
{
    private readonly OnnxSegmentationNetwork _network;

    /// <summary>Wraps <paramref name="network"/> (which stays owned by the caller).</summary>
    public OnnxTileNetwork(OnnxSegmentationNetwork network)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        MinimumSide = SettingsOf(network).Network == SegmentationNetwork.Student ? StudentHead.MinimumSide : GeneratorHead.MinimumSide;
    }

    /// <inheritdoc/>
    public int MinimumSide { get; }

    /// <inheritdoc/>
    public bool PoolsImageStatistics => false;

    /// <inheritdoc/>
    /// <remarks>Unknown (0): the graph normalises each tile by itself, so tiles keep <see cref="TilingOptions.TileSize"/>.</remarks>
    public double WorkingBytesPerPixel => 0;

    /// <inheritdoc/>
    public double WholeImageBytesPerPixel => 0;

    /// <inheritdoc/>
    public void DecodeTile(float[] tile, int[] extents, bool is3D, IInstanceNormStatistics? statistics, float[] decoded, CancellationToken cancellationToken)
        => _network.Decode(tile, extents[0], extents[1], extents[2], decoded, cancellationToken);

    /// <summary>
    /// The inference settings an export records, with <see cref="TileStatistics.Tile"/> (what the graph computes); throws
    /// <see cref="InvalidDataException"/> naming the graph when they are unreadable or disagree with its input.
    /// </summary>
    public static AdGanInferenceSettings SettingsOf(OnnxSegmentationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var settings = Read<AdGanInferenceSettings>(network, AdGanOnnxFormat.InferenceSettingsKey);
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{network.Source}' records invalid inference settings: {e.Message}", e);
        }
        if (settings.Dimensions != network.Dimensions)
            throw new InvalidDataException($"'{network.Source}' records {settings.Dimensions}D settings for a {network.Dimensions}D graph input.");
        return settings with { Tiling = settings.Tiling with { Statistics = TileStatistics.Tile } };
    }

    /// <summary>The labelling an export records, or for an export without it the AD-GAN labelling of its settings.</summary>
    public static InstanceLabelOptions LabellingOf(OnnxSegmentationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!network.Metadata.ContainsKey(AdGanOnnxFormat.LabellingKey))
            return AdGanLabeling.For(SettingsOf(network));
        var options = Read<InstanceLabelOptions>(network, AdGanOnnxFormat.LabellingKey);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{network.Source}' records invalid labelling options: {e.Message}", e);
        }
        return options;
    }

    private static T Read<T>(OnnxSegmentationNetwork network, string key)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(network.Metadata[key], AdGanOnnxFormat.JsonOptions)
                ?? throw new InvalidDataException($"'{network.Source}' has null '{key}' metadata.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{network.Source}' has unreadable '{key}' metadata: {e.Message}", e);
        }
    }
}
