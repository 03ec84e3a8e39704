using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>A layer that consumes a slice of the style vector (the AdaIN parameters), in network order.</summary>
internal interface IStyledLayer
{
    /// <summary>How many style values this layer consumes (2 x channels per AdaIN layer).</summary>
    int StyleLength { get; }

    /// <summary>Applies the layer with its style slice (B or 1, <see cref="StyleLength"/>) and optional normalisation statistics.</summary>
    Tensor Apply(Tensor x, Tensor style, IInstanceNormStatistics? statistics);
}
