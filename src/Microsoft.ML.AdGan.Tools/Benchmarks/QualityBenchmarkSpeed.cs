using System.Globalization;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>
/// Segmentation speed of the generator and of the student in one run of <see cref="QualityBenchmark"/>, in megapixels per second
/// of the network's input at the working scale: over the benchmark's images (decode: normalise, rescale, network, resize back)
/// and for the networks alone on one square image. Wall-clock, so it depends on what else the machine is doing.
/// </summary>
/// <param name="GeneratorMultiplyAdds">Multiply-adds per input pixel of the generator's segmentation.</param>
/// <param name="StudentMultiplyAdds">Multiply-adds per input pixel of the student.</param>
/// <param name="GeneratorDecodeRate">Generator decode rate over the images (working-scale megapixels per second).</param>
/// <param name="StudentDecodeRate">Student decode rate over the images.</param>
/// <param name="ProbeSide">Side of the square image of the network-only timing.</param>
/// <param name="GeneratorNetworkRate">Generator network alone on the probe image (best of a few runs).</param>
/// <param name="StudentNetworkRate">Student network alone on the probe image (best of a few runs).</param>
/// <param name="Threads">Torch threads during the timings.</param>
public sealed record QualityBenchmarkSpeed(double GeneratorMultiplyAdds, double StudentMultiplyAdds, double GeneratorDecodeRate, double StudentDecodeRate,
    int ProbeSide, double GeneratorNetworkRate, double StudentNetworkRate, int Threads)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"multiply-adds per pixel: generator {GeneratorMultiplyAdds:F0}, student {StudentMultiplyAdds:F0} ({GeneratorMultiplyAdds / StudentMultiplyAdds:F1}x fewer); " +
        $"decoding the images: generator {GeneratorDecodeRate:F2} MP/s, student {StudentDecodeRate:F2} MP/s ({StudentDecodeRate / GeneratorDecodeRate:F1}x); " +
        $"networks alone on {ProbeSide} x {ProbeSide}: generator {GeneratorNetworkRate:F2} MP/s, student {StudentNetworkRate:F2} MP/s ({StudentNetworkRate / GeneratorNetworkRate:F1}x); {Threads} threads");
}
