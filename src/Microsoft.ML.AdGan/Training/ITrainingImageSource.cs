using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Training;

/// <summary>The unlabeled images a training run draws crops from, already normalised and at the working scale.</summary>
internal interface ITrainingImageSource
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Image <paramref name="index"/> (may be read lazily; callers must not modify it).</summary>
    ImageBuffer<float> Get(int index);
}
