using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// Saving and loading deployable AD-GAN models as ML.NET model zips, with what plain ML.NET cannot give: atomic
/// writes (temporary file, then rename) and clear errors for missing, truncated, foreign or newer-format files.
/// Beside ML.NET's own entries the zip holds "AdGan/format.json" (format version and model id); ML.NET ignores it.
/// </summary>
public static class AdGanModelFile
{
    /// <summary>Name of the marker entry inside the zip.</summary>
    public const string MarkerEntry = "AdGan/format.json";

    /// <summary>What the marker entry records.</summary>
    public sealed record Marker(int FormatVersion, Guid ModelId, int Dimensions, int BaseChannels, Synthesis.SyntheticMaskCoding Coding, float ForegroundThreshold, float CoreThreshold);

    /// <summary>
    /// Saves <paramref name="transformer"/> (an AD-GAN transformer, or a chain holding one) with its input schema,
    /// atomically. <paramref name="model"/> is the AD-GAN model inside, recorded in the marker.
    /// </summary>
    public static void Save(MLContext mlContext, ITransformer transformer, DataViewSchema inputSchema, AdGanSegmentationModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        try
        {
            mlContext.Model.Save(transformer, inputSchema, temp);
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Update))
            {
                var entry = zip.CreateEntry(MarkerEntry);
                using var stream = entry.Open();
                JsonSerializer.Serialize(stream, new Marker(AdGanModelSerializer.FormatVersion, model.Id, model.Settings.Dimensions, model.Settings.BaseChannels,
                    model.Settings.Coding, model.Settings.ForegroundThreshold, model.Settings.CoreThreshold));
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Saves a bare model as a transformer over <see cref="InMemoryImageRow"/> columns ("Image", "Image.Depth", ...).</summary>
    public static void Save(MLContext mlContext, AdGanSegmentationModel model, string path)
    {
        var schemaSource = mlContext.Data.LoadFromEnumerable(Array.Empty<InMemoryImageRow>());
        var transformer = AdGanSegmentationEstimator.CreateTransformer(mlContext, model, schemaSource);
        Save(mlContext, transformer, schemaSource.Schema, model, path);
    }

    /// <summary>Reads the marker of an AD-GAN model zip, checking the file first.</summary>
    public static Marker ReadMarker(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(MarkerEntry)
                ?? throw new AdGanModelFormatException($"'{path}' is a zip but not an AD-GAN model (no {MarkerEntry}); was it saved by another library?");
            using var stream = entry.Open();
            var marker = JsonSerializer.Deserialize<Marker>(stream)
                ?? throw new AdGanModelFormatException($"'{path}' has an empty {MarkerEntry}.");
            if (marker.FormatVersion > AdGanModelSerializer.FormatVersion || marker.FormatVersion < 1)
                throw new AdGanModelFormatException($"'{path}' has model format version {marker.FormatVersion}; this library reads versions 1 to {AdGanModelSerializer.FormatVersion}. Update the library.");
            return marker;
        }
        catch (InvalidDataException e)
        {
            throw new AdGanModelFormatException($"'{path}' is not a readable model zip (truncated or not a zip): {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new AdGanModelFormatException($"'{path}' has a corrupt {MarkerEntry}: {e.Message}", e);
        }
    }

    /// <summary>Reads every entry to its end, so that the zip's checksums catch damaged bytes before ML.NET reads a damaged entry.</summary>
    private static void VerifyEntries(ZipArchive zip, string path)
    {
        var buffer = new byte[81920];
        foreach (var entry in zip.Entries)
        {
            try
            {
                using var stream = entry.Open();
                long read = 0;
                uint crc = 0;
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                    crc = Crc32.Append(crc, buffer.AsSpan(0, n));
                }

                if (read != entry.Length)
                    throw new InvalidDataException($"{read} bytes where the zip records {entry.Length}");
                if (crc != entry.Crc32)
                    throw new InvalidDataException("its checksum does not match");
            }
            catch (InvalidDataException e)
            {
                throw new AdGanModelFormatException($"'{path}' is damaged: entry '{entry.FullName}' does not read back ({e.Message}).", e);
            }
        }
    }

    /// <summary>The message of the innermost exception that says what went wrong (ML.NET wraps load failures in reflection and pipeline exceptions).</summary>
    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null && e is System.Reflection.TargetInvocationException or AggregateException or InvalidOperationException)
            e = e.InnerException;
        return e.Message;
    }

    /// <summary>Whether <paramref name="e"/> is a failure to read a model (anything but running out of memory or a cancellation).</summary>
    private static bool IsLoadFailure(Exception e) => e is not (OutOfMemoryException or OperationCanceledException or AdGanModelFormatException);

    /// <summary>
    /// Loads the AD-GAN model inside a model zip for direct use (no IDataView per call): the zip is loaded with
    /// <c>mlContext.Model.Load</c> and one tiny image is run through it, which deserialises the weights once.
    /// </summary>
    public static AdGanSegmentationModel LoadModel(MLContext mlContext, string path)
    {
        var marker = ReadMarker(path);
        if (AdGanModelCache.TryGet(marker.ModelId) is { } cached)
            return cached;
        var transformer = Load(mlContext, path, out _);
        // The probe row only makes the chain deserialise the model (a ramp, so normalisation has a range to map).
        var shape = marker.Dimensions == 3 ? ImageShape.Of3D(16, 16, 16) : ImageShape.Of2D(64, 64);
        var ramp = Enumerable.Range(0, (int)shape.Length).Select(i => (float)(i % 251)).ToArray();
        var probe = mlContext.Data.LoadFromEnumerable(new[] { InMemoryImageRow.From(new ImageBuffer<float>(ramp, shape)) });
        try
        {
            var scored = transformer.Transform(probe);
            var decoded = scored.Schema.FirstOrDefault(c => c.Type is Microsoft.ML.Data.VectorDataViewType { ItemType: Microsoft.ML.Data.NumberDataViewType n } && n.RawType == typeof(float) && c.Name != "Image");
            using var cursor = scored.GetRowCursor(new[] { decoded });
            var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(decoded);
            Microsoft.ML.Data.VBuffer<float> values = default;
            while (cursor.MoveNext())
                getter(ref values);
        }
        catch (Exception e) when (IsLoadFailure(e))
        {
            throw new AdGanModelFormatException($"'{path}' is damaged: its AD-GAN model does not load ({InnermostMessage(e)}).", e);
        }
        return AdGanModelCache.TryGet(marker.ModelId)
            ?? throw new AdGanModelFormatException($"'{path}' loaded, but its AD-GAN model id does not match its marker.");
    }

    /// <summary>
    /// As <see cref="LoadModel(MLContext, string)"/>, with the inference settings changed by <paramref name="configure"/> (e.g.
    /// <c>s => s with { TestTimeAugmentation = true }</c>). The result shares the cached weights; dispose it when done (the
    /// weights stay in the cache). Throws <see cref="ArgumentException"/> naming the file when the settings ask for a student
    /// network the model does not carry.
    /// </summary>
    public static AdGanSegmentationModel LoadModel(MLContext mlContext, string path, Func<AdGanInferenceSettings, AdGanInferenceSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var model = LoadModel(mlContext, path);
        var settings = configure(model.Settings);
        if (settings.Network == SegmentationNetwork.Student && model.Student is null)
            throw new ArgumentException($"'{path}' carries no student network: train one with the model (adgan train --student on, AdGanTrainerOptions.Student) or segment with the generator.");
        return model.WithSettings(settings);
    }

    /// <summary>
    /// Loads an AD-GAN model zip with <c>mlContext.Model.Load</c> after checking its marker and every entry's checksum; returns the
    /// transformer and its input schema. Any damage gives <see cref="AdGanModelFormatException"/> naming the file.
    /// </summary>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ReadMarker(path);
        try
        {
            using (var zip = ZipFile.OpenRead(path))
                VerifyEntries(zip, path);
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (IsLoadFailure(e))
        {
            throw new AdGanModelFormatException($"'{path}' could not be loaded as an ML.NET model (truncated or damaged): {InnermostMessage(e)}", e);
        }
    }
}
