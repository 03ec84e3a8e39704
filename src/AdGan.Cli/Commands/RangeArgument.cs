using System.Globalization;

namespace AdGan.Cli.Commands;

/// <summary>Parses "a,b" ranges such as --radius 13,18.</summary>
internal static class RangeArgument
{
    public static (int Min, int Max) Parse(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int max))
            throw new ArgumentException($"{option} expects two integers 'min,max', got '{text}'.");
        if (min > max)
            throw new ArgumentException($"{option}: min {min} exceeds max {max}.");
        return (min, max);
    }
}
