namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// A <see cref="Random"/> whose whole state is one 64-bit number (SplitMix64), so a checkpoint can save it and a
/// resumed run draws exactly the same numbers as an uninterrupted one. Not for cryptography.
/// </summary>
internal sealed class ResumableRandom : Random
{
    /// <summary>Creates a generator from a seed.</summary>
    public ResumableRandom(ulong seed) => State = seed;

    /// <summary>The generator state; assign a saved value to continue a sequence.</summary>
    public ulong State { get; set; }

    /// <summary>Mixes numbers into a well-spread seed (stable across processes, unlike HashCode).</summary>
    public static ulong Mix(params long[] values)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (long v in values)
            h = Scramble(h ^ (ulong)v);
        return h;
    }

    /// <summary>Next raw 64-bit value.</summary>
    public ulong NextUInt64()
    {
        State += 0x9E3779B97F4A7C15UL;
        return Scramble(State);
    }

    /// <inheritdoc/>
    protected override double Sample() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc/>
    public override double NextDouble() => Sample();

    /// <inheritdoc/>
    public override int Next() => (int)(NextUInt64() >> 33);

    /// <inheritdoc/>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(Sample() * maxValue);
    }

    /// <inheritdoc/>
    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue)
            throw new ArgumentOutOfRangeException(nameof(minValue), minValue, "minValue must not exceed maxValue.");
        return minValue + (int)(Sample() * ((long)maxValue - minValue));
    }

    private static ulong Scramble(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
