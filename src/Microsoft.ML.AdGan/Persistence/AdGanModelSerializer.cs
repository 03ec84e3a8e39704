using System.Text;
using System.Text.Json;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;

namespace Microsoft.ML.AdGan.Persistence;

/// <summary>
/// The deployable model format: magic, format version, model id, JSON settings, then encoder and decoder weights.
/// Readers accept every version up to <see cref="FormatVersion"/> and refuse newer ones with a clear message.
/// Version 2 added inference options to the settings (test-time flips, per-image scale and the trained nucleus size,
/// image-level normalisation statistics across tiles); version-1 files read with those at their defaults. The layout is
/// unchanged: the version went up so that older libraries refuse these files instead of silently ignoring the new options.
/// Version 3 adds the labelling the model keeps (decoding and image boundary band); older files read with their defaults,
/// which is how those files were labelled.
/// Version 4 adds which network segments to the settings and appends the student network: one byte (1 when present), then
/// its JSON settings and its weights; older files read without a student, segmenting with the generator.
/// </summary>
internal static class AdGanModelSerializer
{
    /// <summary>Current format version written by this library.</summary>
    public const int FormatVersion = 4;

    /// <summary>First version that carries the student network.</summary>
    private const int StudentVersion = 4;

    private static readonly byte[] Magic = "ADGANMDL"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(AdGanSegmentationModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(model.Id.ToByteArray());
        writer.Write(JsonSerializer.Serialize(model.Settings, Json));
        model.Networks.Encoder.save(writer);
        model.Networks.Decoder.save(writer);
        writer.Write(model.Student is not null);
        if (model.Student is { } student)
        {
            writer.Write(JsonSerializer.Serialize(student.Settings, Json));
            student.Network.save(writer);
        }
        writer.Flush();
    }

    /// <summary>Serialises <paramref name="model"/> to a byte array.</summary>
    public static byte[] ToBytes(AdGanSegmentationModel model)
    {
        using var memory = new MemoryStream();
        Write(model, memory);
        return memory.ToArray();
    }

    private static AdGanStudent ReadStudent(BinaryReader reader, string source)
    {
        var settings = JsonSerializer.Deserialize<AdGanStudentSettings>(reader.ReadString(), Json)
            ?? throw new AdGanModelFormatException($"'{source}' has empty student settings.");
        settings.Validate();
        var network = new StudentNetwork(settings.Network);
        network.load(reader);
        return new AdGanStudent(network, settings);
    }

    /// <summary>Reads the model id without loading weights (null if the data is not a model).</summary>
    public static Guid? PeekId(ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length + 4 + 16 || !data[..Magic.Length].SequenceEqual(Magic))
            return null;
        return new Guid(data.Slice(Magic.Length + 4, 16));
    }

    /// <summary>Reads a model from <paramref name="stream"/> onto the CPU; <paramref name="source"/> names the file in errors.</summary>
    public static AdGanSegmentationModel Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw new AdGanModelFormatException($"'{source}' is not an AD-GAN model (unknown header).");
            int version = reader.ReadInt32();
            if (version > FormatVersion || version < 1)
                throw new AdGanModelFormatException($"'{source}' has model format version {version}; this library reads versions 1 to {FormatVersion}. Update the library.");
            var id = new Guid(reader.ReadBytes(16));
            var settings = JsonSerializer.Deserialize<AdGanInferenceSettings>(reader.ReadString(), Json)
                ?? throw new AdGanModelFormatException($"'{source}' has empty model settings.");
            settings.Validate();
            var networks = new AdGanNetworks(new AdGanNetworkOptions
            {
                BaseChannels = settings.BaseChannels,
                Dimensions = settings.Dimensions,
                StyleMlpWidth = settings.StyleMlpWidth,
            });
            networks.Encoder.load(reader);
            networks.Decoder.load(reader);
            var student = version >= StudentVersion && reader.ReadBoolean() ? ReadStudent(reader, source) : null;
            return new AdGanSegmentationModel(networks, settings, id, student);
        }
        catch (EndOfStreamException e)
        {
            throw new AdGanModelFormatException($"'{source}' is truncated: the model data ends early.", e);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new AdGanModelFormatException($"'{source}' is corrupt: {e.Message}", e);
        }
    }
}
