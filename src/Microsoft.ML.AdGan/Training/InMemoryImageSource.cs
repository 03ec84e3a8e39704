using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Training;

/// <summary>Training images held in memory (prepared once).</summary>
internal sealed class InMemoryImageSource : ITrainingImageSource
{
    private readonly IReadOnlyList<ImageBuffer<float>> _images;

    /// <summary>Prepares every raw image with the given normalisation and scale.</summary>
    public InMemoryImageSource(IEnumerable<ImageBuffer<float>> rawImages, IntensityNormalizerOptions normalization, double scale)
        : this(rawImages, normalization, new ImageScaling(scale))
    {
    }

    /// <summary>Prepares every raw image with the given normalisation, each resized by the factor <paramref name="scaling"/> gives it.</summary>
    public InMemoryImageSource(IEnumerable<ImageBuffer<float>> rawImages, IntensityNormalizerOptions normalization, ImageScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(rawImages);
        ArgumentNullException.ThrowIfNull(scaling);
        _images = rawImages.Select(r => TrainingImagePreparation.Prepare(r, normalization, scaling)).ToList();
        if (_images.Count == 0)
            throw new ArgumentException("Training needs at least one image; the source is empty.", nameof(rawImages));
    }

    /// <inheritdoc/>
    public int Count => _images.Count;

    /// <inheritdoc/>
    public ImageBuffer<float> Get(int index) => _images[index];
}
