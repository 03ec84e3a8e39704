using System.Globalization;
using System.Numerics;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// The one policy for NaN and infinite pixels: the reader applies it to every decoded file, and callers apply it to images
/// that arrive in memory, so no image with such values reaches segmentation unnoticed.
/// </summary>
internal static class NonFinitePixels
{
    /// <summary>How many values are NaN and how many are infinite.</summary>
    public static (long NaN, long Infinite) Count(ReadOnlySpan<float> data)
    {
        if (AllFinite(data))
            return (0, 0);
        long nan = 0, infinite = 0;
        foreach (float v in data)
        {
            if (float.IsNaN(v))
                nan++;
            else if (float.IsInfinity(v))
                infinite++;
        }

        return (nan, infinite);
    }

    /// <summary>
    /// Applies <paramref name="policy"/> to <paramref name="image"/>: nothing when every pixel is finite (returns null);
    /// <see cref="NonFinitePixelPolicy.Error"/> throws a <see cref="MicroscopyImageException"/> naming <paramref name="name"/>
    /// and the counts; <see cref="NonFinitePixelPolicy.ReplaceWithMinimum"/> replaces them in place by the smallest finite
    /// value and returns the warning to show. An image without any finite pixel is an error under either policy.
    /// </summary>
    public static string? Check(ImageBuffer<float> image, string name, NonFinitePixelPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "The non-finite pixel policy must be Error or ReplaceWithMinimum.");
        var data = image.Data;
        var (nan, infinite) = Count(data);
        if (nan + infinite == 0)
            return null;
        string counts = string.Create(CultureInfo.InvariantCulture, $"the image has {nan:N0} NaN and {infinite:N0} infinite pixels (of {data.LongLength:N0})");
        if (nan + infinite == data.LongLength)
            throw new MicroscopyImageException(name, counts + "; no pixel is finite.");
        if (policy == NonFinitePixelPolicy.Error)
            throw new MicroscopyImageException(name, counts + "; to read it anyway, replace them by the image's finite minimum "
                + "(MicroscopyReadOptions.NonFinite = ReplaceWithMinimum; adgan --non-finite replace).");
        float minimum = float.PositiveInfinity;
        foreach (float v in data)
        {
            if (float.IsFinite(v) && v < minimum)
                minimum = v;
        }

        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                data[i] = minimum;
        }

        return string.Create(CultureInfo.InvariantCulture, $"Image '{name}': {counts}; they were replaced by its finite minimum, {minimum:G6}.");
    }

    /// <summary>True when no value is NaN or infinite (x - x is 0 exactly for finite x, NaN otherwise).</summary>
    private static bool AllFinite(ReadOnlySpan<float> data)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(data);
            foreach (var v in vectors)
            {
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                    return false;
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                return false;
        }

        return true;
    }
}
