using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace AdGan.Cli.Commands;

/// <summary>Numeric flags whose parse errors name the flag and the accepted form, not a .NET type.</summary>
internal static class NumberArgument
{
    /// <summary>An optional whole-number flag.</summary>
    public static Option<int?> Int(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name, "a whole number up to 2147483647",
            (string text, out int? value) =>
            {
                bool ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v);
                value = v;
                return ok;
            }),
    };

    /// <summary>An optional real-number flag (finite values only).</summary>
    public static Option<double?> Double(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name, "a finite number",
            (string text, out double? value) =>
            {
                bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v);
                value = v;
                return ok;
            }),
    };

    private delegate bool TryParse<T>(string text, out T? value);

    private static T? Parse<T>(ArgumentResult result, string name, string expected, TryParse<T> tryParse)
    {
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name} expects one value.");
            return default;
        }

        string text = result.Tokens[0].Value;
        if (tryParse(text, out var value))
            return value;
        result.AddError($"{name} must be {expected}, not '{text}'.");
        return default;
    }
}
