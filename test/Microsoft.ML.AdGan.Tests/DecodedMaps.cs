namespace Microsoft.ML.AdGan.Tests;

/// <summary>Comparisons of decoded maps against maps stored by earlier versions.</summary>
internal static class DecodedMaps
{
    /// <summary>
    /// Largest difference a stored map may show: decoding one image band by band sums the normalisation moments in another
    /// order than the layer-by-layer forward that stored it, which moves values by a few float32 rounding steps.
    /// </summary>
    public const float Tolerance = 1e-5f;

    /// <summary>Asserts that <paramref name="actual"/> has the length of <paramref name="expected"/> and lies within <see cref="Tolerance"/> of it everywhere.</summary>
    public static void AssertMatches(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = MathF.Abs(expected[i] - actual[i]);
            if (!(difference <= worst))
            {
                worst = difference;
                at = i;
            }
        }
        Assert.IsLessThanOrEqualTo(Tolerance, worst, $"largest difference at index {at}");
    }
}
