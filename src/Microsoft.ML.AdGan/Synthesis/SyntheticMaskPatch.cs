using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>One generated patch: the coded mask, its instance labels and how it was drawn.</summary>
public sealed class SyntheticMaskPatch
{
    /// <summary>Creates a patch record.</summary>
    public SyntheticMaskPatch(long index, ImageBuffer<byte> mask, ImageBuffer<uint> labels, int targetCount, IReadOnlyList<SyntheticEllipse> ellipses, bool stoppedByRejections)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(ellipses);
        Index = index;
        Mask = mask;
        Labels = labels;
        TargetCount = targetCount;
        Ellipses = ellipses;
        StoppedByRejections = stoppedByRejections;
    }

    /// <summary>Index of the patch in the generator's reproducible sequence.</summary>
    public long Index { get; }

    /// <summary>The coded mask: {0, 255} (semantic) or {0, 127, 255} (instance).</summary>
    public ImageBuffer<byte> Mask { get; }

    /// <summary>Instance labels: 0 background, k = pixels of the k-th accepted ellipse.</summary>
    public ImageBuffer<uint> Labels { get; }

    /// <summary>The target count n drawn from the count prior.</summary>
    public int TargetCount { get; }

    /// <summary>The accepted ellipses in acceptance order (label k is element k - 1).</summary>
    public IReadOnlyList<SyntheticEllipse> Ellipses { get; }

    /// <summary>True when the patch stopped after the maximum number of consecutive rejections, before reaching the target count.</summary>
    public bool StoppedByRejections { get; }
}
