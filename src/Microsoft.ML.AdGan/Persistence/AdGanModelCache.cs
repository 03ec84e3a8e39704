using System.Collections.Concurrent;
using Microsoft.ML.AdGan.Inference;

namespace Microsoft.ML.AdGan.Persistence;

/// <summary>
/// Deserialised models by id, so a model loaded from a zip is rebuilt once per process, not once per row.
/// The cache owns only the models it deserialised (never a caller's model, which the caller may dispose); they stay
/// for the life of the process (a service loads one; call <see cref="Remove"/> to free one).
/// </summary>
public static class AdGanModelCache
{
    private static readonly ConcurrentDictionary<Guid, Lazy<AdGanSegmentationModel>> Models = new();

    /// <summary>The model serialised in <paramref name="blob"/>, deserialised on first use.</summary>
    public static AdGanSegmentationModel Get(byte[] blob)
    {
        var id = AdGanModelSerializer.PeekId(blob)
            ?? throw new AdGanModelFormatException("The model column does not hold an AD-GAN model (unknown header).");
        return Models.GetOrAdd(id, _ => new Lazy<AdGanSegmentationModel>(() =>
        {
            using var stream = new MemoryStream(blob, writable: false);
            return AdGanModelSerializer.Read(stream, "model zip");
        })).Value;
    }

    /// <summary>The cached model with <paramref name="id"/>, if it was deserialised in this process.</summary>
    public static AdGanSegmentationModel? TryGet(Guid id) => Models.TryGetValue(id, out var lazy) ? lazy.Value : null;

    /// <summary>Forgets and disposes the model with <paramref name="id"/>; returns whether it was cached.</summary>
    public static bool Remove(Guid id)
    {
        if (!Models.TryRemove(id, out var lazy))
            return false;
        if (lazy.IsValueCreated)
            lazy.Value.Dispose();
        return true;
    }
}
