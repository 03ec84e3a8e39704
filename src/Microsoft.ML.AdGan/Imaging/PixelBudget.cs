using System.Globalization;
using System.Numerics;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Refuses images whose header claims more pixels than <see cref="MicroscopyReadOptions.MaxPixels"/>, before anything is allocated.</summary>
internal static class PixelBudget
{
    /// <summary>Checks a 2D image of <paramref name="width"/> x <paramref name="height"/> (sizes as the header states them).</summary>
    public static void Check(string name, MicroscopyReadOptions options, long width, long height)
    {
        if (width <= 0 || height <= 0)
            throw new MicroscopyImageException(name, string.Create(CultureInfo.InvariantCulture, $"the header states an invalid size of {width} x {height} pixels."));
        Check(name, options, (Int128)width * height, string.Create(CultureInfo.InvariantCulture, $"{width} x {height}"));
    }

    /// <summary>Checks <paramref name="pixels"/> in all, described (e.g. "12 pages of 512 x 512") by <paramref name="size"/>.</summary>
    public static void Check(string name, MicroscopyReadOptions options, Int128 pixels, string size)
    {
        if (pixels <= options.MaxPixels)
            return;
        throw new MicroscopyImageException(name, string.Create(CultureInfo.InvariantCulture,
            $"the image is {size} = {pixels:N0} pixels, more than the pixel budget of {options.MaxPixels:N0}; to read it, raise the budget "
            + $"(MicroscopyReadOptions.MaxPixels; adgan --max-pixels {RoundUp(pixels)})."))
        { ExceedsPixelBudget = true };
    }

    /// <summary>A budget that admits <paramref name="pixels"/>: the next power of two, as a hint in the message.</summary>
    private static long RoundUp(Int128 pixels) => pixels >= long.MaxValue / 2 ? long.MaxValue : 1L << (64 - BitOperations.LeadingZeroCount((ulong)(long)pixels - 1));
}
