using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// History of generated images shown to the discriminator (CycleGAN's ImagePool). Until full, each new image is stored
/// and returned; then, with probability 1/2, it replaces a random stored image and that stored image is returned,
/// otherwise the new image is returned. All draws come from the <see cref="Random"/> given at construction.
/// </summary>
internal sealed class ImageHistoryPool : IDisposable
{
    private readonly List<Tensor> _images = new();
    private readonly Random _random;

    /// <summary>Creates an empty pool of <paramref name="capacity"/> images (0: pass-through) drawing from <paramref name="random"/>.</summary>
    public ImageHistoryPool(int capacity, Random random)
    {
        if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The pool capacity must be >= 0.");
        Capacity = capacity;
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>Maximum number of stored images.</summary>
    public int Capacity { get; }

    /// <summary>Number of stored images.</summary>
    public int Count => _images.Count;

    /// <summary>The stored images, each (1, C, spatial...), owned by the pool (do not dispose; copy to save them).</summary>
    public IReadOnlyList<Tensor> Images => _images;

    /// <summary>Passes a batch (B, C, spatial...) through the pool; returns a new batch of the same shape (no gradient).</summary>
    public Tensor Query(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var batch = images.detach();
        if (Capacity == 0) return batch;
        var returned = new List<Tensor>();
        var evicted = new List<Tensor>();
        try
        {
            for (var i = 0; i < batch.shape[0]; i++)
            {
                var image = batch.narrow(0, i, 1);
                if (_images.Count < Capacity)
                {
                    _images.Add(image.clone().DetachFromDisposeScope());
                    returned.Add(image);
                }
                else if (_random.NextDouble() > 0.5)
                {
                    var id = _random.Next(Capacity);
                    var old = _images[id];
                    _images[id] = image.clone().DetachFromDisposeScope();
                    evicted.Add(old);
                    returned.Add(old);
                }
                else
                {
                    returned.Add(image);
                }
            }
            return cat(returned, 0);
        }
        finally
        {
            foreach (var t in evicted) t.Dispose();
        }
    }

    /// <summary>Replaces the content with copies of <paramref name="images"/> (each (1, C, spatial...)), e.g. when resuming from a checkpoint.</summary>
    public void Restore(IEnumerable<Tensor> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        Clear();
        foreach (var t in images)
        {
            if (_images.Count == Capacity)
                throw new ArgumentException($"More images than the pool capacity {Capacity}.", nameof(images));
            if (t.dim() < 3 || t.shape[0] != 1)
                throw new ArgumentException($"Pool images must have shape (1, C, spatial...); got ({string.Join(", ", t.shape)}).", nameof(images));
            using var detached = t.detach();
            _images.Add(detached.clone().DetachFromDisposeScope());
        }
    }

    /// <summary>Disposes and forgets all stored images.</summary>
    public void Clear()
    {
        foreach (var t in _images) t.Dispose();
        _images.Clear();
    }

    /// <inheritdoc/>
    public void Dispose() => Clear();
}
