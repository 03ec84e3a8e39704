using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>Timing of the synthetic mask generator on one patch shape.</summary>
/// <param name="Shape">Patch shape measured.</param>
/// <param name="Coding">Mask coding measured.</param>
/// <param name="Patches">Number of timed patches.</param>
/// <param name="MillisecondsPerPatch">Mean wall-clock milliseconds per patch, one thread.</param>
/// <param name="MeanAccepted">Mean number of accepted ellipses per patch.</param>
/// <param name="StoppedByRejections">How many patches stopped on consecutive rejections.</param>
public sealed record SyntheticMaskBenchmarkResult(ImageShape Shape, SyntheticMaskCoding Coding, int Patches, double MillisecondsPerPatch, double MeanAccepted, int StoppedByRejections)
{
    /// <inheritdoc/>
    public override string ToString()
        => $"{Shape} {Coding}: {MillisecondsPerPatch:F2} ms/patch over {Patches} patches, {MeanAccepted:F1} ellipses on average, {StoppedByRejections} stopped by rejections";
}
