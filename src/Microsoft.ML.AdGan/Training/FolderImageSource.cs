using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Training images read lazily from files and kept in a least-recently-used cache within a memory budget, so large
/// collections train in bounded memory. Thread-safe.
/// </summary>
internal sealed class FolderImageSource : ITrainingImageSource
{
    private readonly IReadOnlyList<string> _paths;
    private readonly MicroscopyReadOptions? _read;
    private readonly IntensityNormalizerOptions _normalization;
    private readonly ImageScaling _scaling;
    private readonly long _budgetBytes;
    private readonly Dictionary<int, LinkedListNode<(int Index, ImageBuffer<float> Image)>> _cache = new();
    private readonly LinkedList<(int Index, ImageBuffer<float> Image)> _recency = new();
    private long _cachedBytes;

    /// <summary>Reads <paramref name="paths"/> on demand; <paramref name="memoryBudgetBytes"/> bounds the cache.</summary>
    public FolderImageSource(IReadOnlyList<string> paths, IntensityNormalizerOptions normalization, double scale, long memoryBudgetBytes = 2L << 30, MicroscopyReadOptions? read = null)
        : this(paths, normalization, new ImageScaling(scale), memoryBudgetBytes, read)
    {
    }

    /// <summary>As the other constructor; each image is resized by the factor <paramref name="scaling"/> gives it.</summary>
    public FolderImageSource(IReadOnlyList<string> paths, IntensityNormalizerOptions normalization, ImageScaling scaling, long memoryBudgetBytes = 2L << 30, MicroscopyReadOptions? read = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(scaling);
        if (paths.Count == 0)
            throw new ArgumentException("Training needs at least one image; no file was given.", nameof(paths));
        _paths = paths;
        _normalization = normalization;
        _scaling = scaling;
        _budgetBytes = memoryBudgetBytes;
        _read = read;
    }

    /// <summary>The files, in index order.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <inheritdoc/>
    public int Count => _paths.Count;

    /// <inheritdoc/>
    public ImageBuffer<float> Get(int index)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue(index, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Image;
            }
        }
        var image = TrainingImagePreparation.Prepare(MicroscopyImageReader.Read(_paths[index], _read), _normalization, _scaling);
        long bytes = image.Data.LongLength * sizeof(float);
        lock (_cache)
        {
            if (!_cache.ContainsKey(index))
            {
                while (_cachedBytes + bytes > _budgetBytes && _recency.Last is { } last)
                {
                    _recency.RemoveLast();
                    _cache.Remove(last.Value.Index);
                    _cachedBytes -= last.Value.Image.Data.LongLength * sizeof(float);
                }
                _cache[index] = _recency.AddFirst((index, image));
                _cachedBytes += bytes;
            }
        }
        return image;
    }
}
