using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>One simulated fluorescence image with its exact instance labels.</summary>
/// <param name="Index">Index in the simulator's reproducible sequence.</param>
/// <param name="Image">Raw intensities as integer counts (0-255 or 0-65535) stored as floats.</param>
/// <param name="Labels">Instance labels: 0 background, 1..K nuclei.</param>
/// <param name="NucleusCount">Number of nuclei placed (K).</param>
/// <param name="TouchingNuclei">Number of nuclei that share a face-adjacent pixel with another nucleus.</param>
public sealed record SimulatedMicroscopyImage(long Index, ImageBuffer<float> Image, ImageBuffer<uint> Labels, int NucleusCount, int TouchingNuclei)
{
    /// <summary>Labels of the nuclei made much brighter than the rest (<see cref="MicroscopySimulationOptions.BrightNuclei"/>), ascending; empty when none.</summary>
    public IReadOnlyList<uint> BrightLabels { get; init; } = Array.Empty<uint>();
}
