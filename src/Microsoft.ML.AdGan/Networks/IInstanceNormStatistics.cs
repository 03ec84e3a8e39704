using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// A per-call source of the statistics that instance normalisation uses, passed down a forward call (never stored on a
/// module). Tiled inference uses it to normalise every tile with statistics of the whole image; without one, each sample
/// is normalised with its own statistics, as in training.
/// </summary>
internal interface IInstanceNormStatistics
{
    /// <summary>Normalises <paramref name="x"/> (B, C, spatial...) for the next instance-normalisation layer in network order.</summary>
    Tensor Normalize(Tensor x, double epsilon);
}
