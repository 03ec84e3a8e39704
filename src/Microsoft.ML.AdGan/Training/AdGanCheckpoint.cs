using System.Text;
using System.Text.Json;
using Microsoft.ML.AdGan.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// A resumable training state: every network (discriminator included), both optimisers, both history pools, the
/// pools' random state, the iteration, the loss history and (format 2, when enabled) the moving average of the generator
/// weights. Separate from deployable models, which hold only the generator. Format 3 ends with the CRC-32 of everything before it
/// and a closing tag, so that damaged or cut files are refused before any tensor is read.
/// </summary>
internal static class AdGanCheckpoint
{
    public const int FormatVersion = 3;
    private static readonly byte[] Magic = "ADGANCKP"u8.ToArray();
    private static readonly byte[] EndTag = "ADGANEND"u8.ToArray();
    private const int TrailerLength = sizeof(uint) + 8;

    /// <summary>What a checkpoint records besides tensors; compared on resume so a mismatched run fails clearly.</summary>
    internal sealed record Header(int Iteration, int BaseChannels, int Dimensions, int StyleMlpWidth, int CropSize, int CropDepth,
        int BatchSize, int Seed, ulong PoolRandomState, List<double[]> LossHistory, bool HasGeneratorAverage = false)
    {
        /// <summary>Format version of the file the header was read from (not stored in the JSON).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public int FormatVersion { get; init; } = AdGanCheckpoint.FormatVersion;
    }

    public static void Save(string path, AdGanTrainingStep step, Header header, GeneratorAverage? average = null)
    {
        header = header with { HasGeneratorAverage = average is not null };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(header));
            step.Networks.save(writer);
            step.GeneratorOptimizer.Save(writer);
            step.DiscriminatorOptimizer.Save(writer);
            WritePool(writer, step.MaskTranslationPool);
            WritePool(writer, step.ImageTranslationPool);
            average?.Save(writer);
            writer.Flush();
            writer.Write(Checksum(stream, stream.Length));
            writer.Write(EndTag);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>CRC-32 of the first <paramref name="length"/> bytes of <paramref name="stream"/>.</summary>
    private static uint Checksum(Stream stream, long length)
    {
        stream.Position = 0;
        var buffer = new byte[1 << 20];
        uint crc = 0;
        for (long left = length; left > 0;)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
                throw new EndOfStreamException();
            crc = Imaging.Crc32.Append(crc, buffer.AsSpan(0, n));
            left -= n;
        }

        return crc;
    }

    /// <summary>Refuses a format-3 checkpoint whose closing tag or checksum is wrong (cut short or damaged bytes).</summary>
    private static void VerifyTrailer(FileStream stream, string path)
    {
        long payload = stream.Length - TrailerLength;
        if (payload < Magic.Length)
            throw new AdGanModelFormatException($"Checkpoint '{path}' is truncated.");
        var trailer = new byte[TrailerLength];
        stream.Position = payload;
        stream.ReadExactly(trailer);
        if (!trailer.AsSpan(sizeof(uint)).SequenceEqual(EndTag))
            throw new AdGanModelFormatException($"Checkpoint '{path}' is truncated (no closing tag).");
        if (Checksum(stream, payload) != BitConverter.ToUInt32(trailer, 0))
            throw new AdGanModelFormatException($"Checkpoint '{path}' is damaged: its checksum does not match.");
    }

    public static Header ReadHeader(string path)
    {
        using var stream = OpenChecked(path, out var reader);
        using (reader)
            return ReadHeader(reader, path);
    }

    /// <summary>Restores <paramref name="step"/> and, when both the file and the run have one, <paramref name="average"/>.</summary>
    public static Header Load(string path, AdGanTrainingStep step, GeneratorAverage? average = null)
    {
        using var stream = OpenChecked(path, out var reader);
        using (reader)
        {
            try
            {
                var header = ReadHeader(reader, path);
                if (header.FormatVersion >= 3)
                {
                    long position = stream.Position;
                    VerifyTrailer(stream, path);
                    stream.Position = position;
                }

                var device = step.Networks.Encoder.Mlp.parameters().First().device;
                step.Networks.load(reader);
                step.Networks.to(device);
                step.GeneratorOptimizer.Load(reader);
                step.DiscriminatorOptimizer.Load(reader);
                ReadPool(reader, step.MaskTranslationPool, device);
                ReadPool(reader, step.ImageTranslationPool, device);
                if (header.HasGeneratorAverage && average is not null)
                    average.Load(reader, path);
                return header;
            }
            catch (EndOfStreamException e)
            {
                throw new AdGanModelFormatException($"Checkpoint '{path}' is truncated.", e);
            }
            catch (Exception e) when (e is not (AdGanModelFormatException or OutOfMemoryException or OperationCanceledException))
            {
                throw new AdGanModelFormatException($"Checkpoint '{path}' is damaged: {e.Message}", e);
            }
        }
    }

    private static FileStream OpenChecked(string path, out BinaryReader reader)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        var stream = File.OpenRead(path);
        reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            reader.Dispose();
            stream.Dispose();
            throw new AdGanModelFormatException($"'{path}' is not an AD-GAN training checkpoint (a deployable model.zip cannot be resumed).");
        }
        return stream;
    }

    private static Header ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            int version = reader.ReadInt32();
            if (version < 1 || version > FormatVersion)
                throw new AdGanModelFormatException($"Checkpoint '{path}' has format version {version}; this library reads 1 to {FormatVersion}.");
            var header = JsonSerializer.Deserialize<Header>(reader.ReadString())
                ?? throw new AdGanModelFormatException($"Checkpoint '{path}' has an empty header.");
            return header with { FormatVersion = version };
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or FormatException or IOException)
        {
            throw new AdGanModelFormatException($"Checkpoint '{path}' has a damaged header: {e.Message}", e);
        }
    }

    private static void WritePool(BinaryWriter writer, ImageHistoryPool pool)
    {
        writer.Write(pool.Count);
        foreach (var image in pool.Images)
        {
            var shape = image.shape;
            writer.Write(shape.Length);
            foreach (var d in shape)
                writer.Write(d);
            var values = image.to(float32).cpu().contiguous().data<float>().ToArray();
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
    }

    private static void ReadPool(BinaryReader reader, ImageHistoryPool pool, Device device)
    {
        int count = reader.ReadInt32();
        var images = new List<Tensor>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var shape = new long[reader.ReadInt32()];
                for (int d = 0; d < shape.Length; d++)
                    shape[d] = reader.ReadInt64();
                long length = shape.Aggregate(1L, (a, b) => a * b);
                var bytes = reader.ReadBytes(checked((int)length * sizeof(float)));
                if (bytes.Length != length * sizeof(float))
                    throw new EndOfStreamException();
                var values = new float[length];
                Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
                images.Add(tensor(values, shape).to(device));
            }
            pool.Restore(images);
        }
        finally
        {
            foreach (var t in images)
                t.Dispose();
        }
    }
}
