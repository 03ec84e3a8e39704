namespace Microsoft.ML.AdGan.Networks;

/// <summary>Shape of the student segmentation network (<see cref="StudentNetwork"/>); defaults are the fast path's.</summary>
public sealed record StudentNetworkOptions
{
    /// <summary>Channels at the first (full-resolution) level; each deeper level doubles them. Default 8; at least 1.</summary>
    public int BaseChannels { get; init; } = 8;

    /// <summary>Number of 2x downsamplings (levels below the first). Default 3; 1 to 5.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>What the output map codes. Default <see cref="StudentTarget.Distance"/>.</summary>
    public StudentTarget Target { get; init; } = StudentTarget.Distance;

    /// <summary>Input and output side lengths must be multiples of this (2^Depth); the network pads other sizes itself.</summary>
    public int SizeMultiple => 1 << Depth;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (BaseChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(BaseChannels), BaseChannels, "The student's BaseChannels must be at least 1.");
        if (Depth is < 1 or > 5)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "The student's Depth must lie in 1..5.");
        if (!Enum.IsDefined(Target))
            throw new ArgumentOutOfRangeException(nameof(Target), Target, "Unknown StudentTarget.");
    }
}
