namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>Derives independent, reproducible per-item seeds from a base seed and an index (SplitMix64 finaliser).</summary>
internal static class SeedMixer
{
    /// <summary>A well-mixed 32-bit seed for item <paramref name="index"/> of the stream <paramref name="seed"/>.</summary>
    public static int Mix(int seed, long index, ulong stream = 0)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)index + stream * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)(z ^ (z >> 32)));
    }
}
