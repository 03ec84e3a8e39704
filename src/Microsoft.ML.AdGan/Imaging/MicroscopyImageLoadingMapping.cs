using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Names and settings shared by the pieces of the <c>LoadMicroscopyImages</c> chain (stable: they are stored in model files).</summary>
internal static class MicroscopyImageLoading
{
    public const string KeyContract = "Microsoft.ML.AdGan.LoadMicroscopyImages.Key.v1";
    public const string LoadContract = "Microsoft.ML.AdGan.LoadMicroscopyImages.Load.v1";
    public const string PathColumn = "__LoadMicroscopyImages.Path";
    public const string KeyColumn = "__LoadMicroscopyImages.Key";
    public const string SettingsColumn = "__LoadMicroscopyImages.Settings";
    public const string ImageColumn = "__LoadMicroscopyImages.Image";
    public const string DepthColumn = "__LoadMicroscopyImages.Depth";
    public const string HeightColumn = "__LoadMicroscopyImages.Height";
    public const string WidthColumn = "__LoadMicroscopyImages.Width";
    public const string VoxelSizeColumn = "__LoadMicroscopyImages.VoxelSize";
    public const string BitsColumn = "__LoadMicroscopyImages.BitsPerSample";
    public const string WarningsColumn = "__LoadMicroscopyImages.Warnings";
    public const string KeyValue = "settings";

    private static readonly ConcurrentDictionary<string, Settings> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// What the model file keeps of the options (serialised as JSON in a ValueMapping). Settings added later have defaults,
    /// so model files saved without them load with the library's defaults.
    /// </summary>
    internal sealed record Settings(string InputColumnName, int? Channel, bool FirstPageOnly, bool Normalize,
        NormalizationMode Mode, double LowPercentile, double HighPercentile, bool Clip,
        long MaxPixels = MicroscopyReadOptions.DefaultMaxPixels, NonFinitePixelPolicy NonFinite = NonFinitePixelPolicy.Error)
    {
        public static Settings From(MicroscopyImageLoadingOptions o) => new(o.InputColumnName, o.ReadOptions.Channel, o.ReadOptions.FirstPageOnly,
            o.Normalization is not null, o.Normalization?.Mode ?? NormalizationMode.Percentile, o.Normalization?.LowPercentile ?? 1.0,
            o.Normalization?.HighPercentile ?? 99.8, o.Normalization?.Clip ?? true, o.ReadOptions.MaxPixels, o.ReadOptions.NonFinite);

        public MicroscopyReadOptions ToReadOptions() => new() { Channel = Channel, FirstPageOnly = FirstPageOnly, MaxPixels = MaxPixels, NonFinite = NonFinite };

        public string ToJson() => JsonSerializer.Serialize(this);

        public static Settings Parse(string json) => Cache.GetOrAdd(json, j => JsonSerializer.Deserialize<Settings>(j)
            ?? throw new InvalidDataException("Empty LoadMicroscopyImages settings in the model."));
    }

    /// <summary>Reads one row's file into the output row.</summary>
    public static void Load(MicroscopyPathSettingsRow input, MicroscopyImageRow output)
    {
        var settings = Settings.Parse(input.Settings ?? throw new InvalidDataException("The LoadMicroscopyImages settings column is empty."));
        var path = input.Path;
        if (string.IsNullOrWhiteSpace(path))
            throw new MicroscopyImageException(path ?? string.Empty, $"column '{settings.InputColumnName}' holds an empty path.");
        MicroscopyImage image;
        try
        {
            image = MicroscopyImageReader.ReadImage(path, settings.ToReadOptions());
        }
        catch (MicroscopyImageException ex)
        {
            throw new MicroscopyImageException(path, $"(column '{settings.InputColumnName}') {ex.Reason}", ex);
        }

        var data = image.Image.Data;
        if (settings.Normalize)
            IntensityNormalizer.NormalizeInPlace(data, new IntensityNormalizerOptions
            {
                Mode = settings.Mode, LowPercentile = settings.LowPercentile, HighPercentile = settings.HighPercentile, Clip = settings.Clip,
            });
        var shape = image.Image.Shape;
        output.Image = data;
        output.Depth = shape.Depth;
        output.Height = shape.Height;
        output.Width = shape.Width;
        output.BitsPerSample = image.BitsPerSample;
        var v = image.Image.VoxelSize;
        output.VoxelSize = v is { } s ? new[] { (float)s.Z, (float)s.Y, (float)s.X } : new float[3];
        output.Warnings = string.Join(Environment.NewLine, image.Warnings);
    }
}

/// <summary>Infrastructure of <c>LoadMicroscopyImages</c> (input row of the key mapping); not meant for direct use.</summary>
internal sealed class MicroscopyPathRow
{
    /// <summary>The file path.</summary>
    [ColumnName(MicroscopyImageLoading.PathColumn)]
    public string? Path { get; set; }
}

/// <summary>Infrastructure of <c>LoadMicroscopyImages</c> (constant key that finds the stored settings); not meant for direct use.</summary>
internal sealed class MicroscopyKeyRow
{
    /// <summary>Always the same key.</summary>
    [ColumnName(MicroscopyImageLoading.KeyColumn)]
    public string? Key { get; set; }
}

/// <summary>Infrastructure of <c>LoadMicroscopyImages</c> (path and settings of one row); not meant for direct use.</summary>
internal sealed class MicroscopyPathSettingsRow
{
    /// <summary>The file path.</summary>
    [ColumnName(MicroscopyImageLoading.PathColumn)]
    public string? Path { get; set; }

    /// <summary>The stored settings (JSON).</summary>
    [ColumnName(MicroscopyImageLoading.SettingsColumn)]
    public string? Settings { get; set; }
}

/// <summary>Infrastructure of <c>LoadMicroscopyImages</c> (one decoded image); not meant for direct use.</summary>
internal sealed class MicroscopyImageRow
{
    /// <summary>Intensities, Z, Y, X row-major (variable length).</summary>
    [ColumnName(MicroscopyImageLoading.ImageColumn)]
    public float[] Image { get; set; } = Array.Empty<float>();

    /// <summary>Number of Z slices (1 for 2D).</summary>
    [ColumnName(MicroscopyImageLoading.DepthColumn)]
    public int Depth { get; set; }

    /// <summary>Number of rows.</summary>
    [ColumnName(MicroscopyImageLoading.HeightColumn)]
    public int Height { get; set; }

    /// <summary>Number of columns.</summary>
    [ColumnName(MicroscopyImageLoading.WidthColumn)]
    public int Width { get; set; }

    /// <summary>Voxel size Z, Y, X in micrometres, 0 where unknown.</summary>
    [ColumnName(MicroscopyImageLoading.VoxelSizeColumn)]
    [VectorType(3)]
    public float[] VoxelSize { get; set; } = new float[3];

    /// <summary>Bits per sample of the source file.</summary>
    [ColumnName(MicroscopyImageLoading.BitsColumn)]
    public int BitsPerSample { get; set; }

    /// <summary>What the read changed (e.g. non-finite pixels replaced), one warning a line; empty when nothing was.</summary>
    [ColumnName(MicroscopyImageLoading.WarningsColumn)]
    public string Warnings { get; set; } = string.Empty;
}

/// <summary>Model-file factory of the constant key mapping of <c>LoadMicroscopyImages</c>; not meant for direct use.</summary>
[CustomMappingFactoryAttribute(MicroscopyImageLoading.KeyContract)]
internal sealed class MicroscopyKeyMappingFactory : CustomMappingFactory<MicroscopyPathRow, MicroscopyKeyRow>
{
    /// <summary>The mapping action.</summary>
    public static void Map(MicroscopyPathRow input, MicroscopyKeyRow output) => output.Key = MicroscopyImageLoading.KeyValue;

    /// <inheritdoc/>
    public override Action<MicroscopyPathRow, MicroscopyKeyRow> GetMapping() => Map;
}

/// <summary>Model-file factory of the image-reading mapping of <c>LoadMicroscopyImages</c>; not meant for direct use.</summary>
[CustomMappingFactoryAttribute(MicroscopyImageLoading.LoadContract)]
internal sealed class MicroscopyLoadMappingFactory : CustomMappingFactory<MicroscopyPathSettingsRow, MicroscopyImageRow>
{
    /// <summary>The mapping action.</summary>
    public static void Map(MicroscopyPathSettingsRow input, MicroscopyImageRow output) => MicroscopyImageLoading.Load(input, output);

    /// <inheritdoc/>
    public override Action<MicroscopyPathSettingsRow, MicroscopyImageRow> GetMapping() => Map;
}
