using System.Globalization;

namespace AdGan.Cli.Commands;

/// <summary>Parses "min,max" command-line ranges.</summary>
internal static class RangeArgument
{
    /// <summary>Parses "a,b" (or a single "a" meaning a,a) into integers; throws naming the option.</summary>
    public static (int Min, int Max) Parse(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int max))
            return (min, max);
        throw new ArgumentException($"{option} expects MIN,MAX integers, got '{text}'.", option);
    }
}
