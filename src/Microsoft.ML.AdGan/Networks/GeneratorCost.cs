namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The arithmetic of the segmentation generator G(E(x, image), mask), counted from its layers: multiply-adds of the
/// convolutions per input pixel (normalisations, activations and biases are a few operations per value and left out).
/// </summary>
internal static class GeneratorCost
{
    /// <summary>
    /// Multiply-adds per input pixel (or voxel) of the encoder then the decoder of <paramref name="networks"/>: a convolution
    /// costs its weight count at every output position, a transposed convolution its weight count at every input position.
    /// </summary>
    public static double MultiplyAddsPerInputPixel(AdGanNetworks networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        double positions = 1;   // positions of the current feature map per input pixel
        double total = 0;
        foreach (var layer in networks.Encoder.MainLayers.Concat(networks.Decoder.MainLayers))
        {
            switch (layer)
            {
                case Convolution convolution:
                    positions /= Product(convolution.Stride);
                    total += Weights(convolution) * positions;
                    break;
                case TransposedConvolution transposed:
                    total += Weights(transposed) * positions;
                    positions *= Product(transposed.Stride);
                    break;
                default:   // a residual block: its convolutions keep the resolution
                    foreach (var inner in layer.children().OfType<Convolution>().Distinct())   // a field and its registered name list a child twice
                        total += Product(inner.Stride) == 1 ? Weights(inner) * positions : throw new InvalidOperationException($"A strided convolution inside {layer.GetName()} is not counted.");
                    break;
            }
        }
        return total;
    }

    private static double Weights(TorchSharp.torch.nn.Module layer) =>
        (layer.get_parameter("weight") ?? throw new InvalidOperationException($"{layer.GetName()} has no weight.")).numel();

    private static double Product(IReadOnlyList<long> values) => values.Aggregate(1.0, (p, v) => p * v);
}
