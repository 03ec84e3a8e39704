namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// The explicit linear map from float values to the integers of an 8-bit or 16-bit file: <see cref="InputMin"/> becomes 0,
/// <see cref="InputMax"/> becomes 2^<see cref="BitDepth"/> - 1; values outside are clipped, results rounded to nearest.
/// </summary>
public sealed record IntensityScaling
{
    /// <summary>Creates a scaling; <paramref name="bitDepth"/> is 8 or 16 and <paramref name="inputMax"/> must exceed <paramref name="inputMin"/>.</summary>
    public IntensityScaling(double inputMin, double inputMax, int bitDepth)
    {
        if (bitDepth is not (8 or 16))
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "Bit depth must be 8 or 16.");
        if (!double.IsFinite(inputMin) || !double.IsFinite(inputMax) || inputMax <= inputMin)
            throw new ArgumentOutOfRangeException(nameof(inputMax), $"The input range [{inputMin}, {inputMax}] must be finite and non-empty.");
        InputMin = inputMin;
        InputMax = inputMax;
        BitDepth = bitDepth;
    }

    /// <summary>The float value written as 0.</summary>
    public double InputMin { get; }

    /// <summary>The float value written as the largest integer of the bit depth.</summary>
    public double InputMax { get; }

    /// <summary>8 or 16.</summary>
    public int BitDepth { get; }

    /// <summary>The largest integer of the bit depth (255 or 65,535).</summary>
    public int OutputMax => BitDepth == 8 ? byte.MaxValue : ushort.MaxValue;

    /// <summary>Values written as they are (raw intensities already in 0..255 or 0..65,535), rounded and clipped.</summary>
    public static IntensityScaling Raw(int bitDepth) => new(0, bitDepth == 8 ? byte.MaxValue : ushort.MaxValue, bitDepth);

    /// <summary>A map of [-1, 1] (network output, decoded maps) to the full range; at 8 bits it is the reference's (x + 1) * 127.5.</summary>
    public static IntensityScaling SignedUnit(int bitDepth = 8) => new(-1, 1, bitDepth);

    /// <summary>A map of [0, 1] (probabilities) to the full range.</summary>
    public static IntensityScaling Unit(int bitDepth = 8) => new(0, 1, bitDepth);

    /// <summary>The integer written for a value (NaN becomes 0).</summary>
    public int Apply(float value)
    {
        if (float.IsNaN(value))
            return 0;
        double t = (value - InputMin) / (InputMax - InputMin) * OutputMax;
        return (int)Math.Round(Math.Clamp(t, 0, OutputMax), MidpointRounding.AwayFromZero);
    }
}
