namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>One row of the synthetic-mask data view (<see cref="SyntheticMaskCatalog.LoadSyntheticMasks"/>).</summary>
public sealed class SyntheticMaskRow
{
    /// <summary>Name of the mask column: a byte vector of shape (H, W) or (D, H, W).</summary>
    public const string MaskColumnName = nameof(Mask);

    /// <summary>Name of the instance-label column: a UInt32 vector of the same shape.</summary>
    public const string LabelsColumnName = nameof(Labels);

    /// <summary>Index of the patch in the generator's sequence.</summary>
    public long Index { get; set; }

    /// <summary>The coded mask, Z, Y, X row-major.</summary>
    public byte[] Mask { get; set; } = Array.Empty<byte>();

    /// <summary>Instance labels, Z, Y, X row-major.</summary>
    public uint[] Labels { get; set; } = Array.Empty<uint>();

    /// <summary>The target count drawn for this patch.</summary>
    public int TargetCount { get; set; }

    /// <summary>How many ellipses were accepted.</summary>
    public int AcceptedCount { get; set; }

    /// <summary>True when the patch stopped on consecutive rejections.</summary>
    public bool StoppedByRejections { get; set; }
}
