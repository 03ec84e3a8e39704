using System.Globalization;
using System.Reflection;

namespace AdGan.Cli.Commands;

/// <summary>
/// Applies 'Name=value' assignments to the public settable properties of an options object (bool, numbers, enums and their
/// nullable forms), so benchmark flags can switch on settings that other parts of the library add later.
/// </summary>
internal static class SettingAssignments
{
    /// <summary>Sets each assignment on <paramref name="target"/>; throws <see cref="ArgumentException"/> naming the flag, the name and the known names.</summary>
    public static void Apply(object target, IEnumerable<string> assignments, string flag)
    {
        ArgumentNullException.ThrowIfNull(target);
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && IsSimple(p.PropertyType))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in assignments)
        {
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ArgumentException($"{flag} expects Name=value, got '{assignment}'.");
            string name = assignment[..eq].Trim(), text = assignment[(eq + 1)..].Trim();
            if (!properties.TryGetValue(name, out var property))
                throw new ArgumentException($"{flag}: {target.GetType().Name} has no setting '{name}'; known: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}.");
            property.SetValue(target, Parse(property.PropertyType, text, $"{flag} {name}"));
        }
    }

    /// <summary>Checks the assignments against a type without an instance (so a typo fails before a long run starts).</summary>
    public static void Check(Type type, IEnumerable<string> assignments, string flag) =>
        Apply(Activator.CreateInstance(type)!, assignments, flag);

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsEnum || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(float) || t == typeof(double);
    }

    private static object? Parse(Type type, string text, string what)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null && text.Equals("null", StringComparison.OrdinalIgnoreCase))
            return null;
        var t = underlying ?? type;
        var ci = CultureInfo.InvariantCulture;
        bool ok;
        object? value;
        if (t.IsEnum)
        {
            ok = Enum.TryParse(t, text, ignoreCase: true, out value) && Enum.IsDefined(t, value!);
            if (!ok)
                throw new ArgumentException($"{what}: '{text}' is not one of {string.Join(", ", Enum.GetNames(t))}.");
            return value;
        }
        (ok, value) = t switch
        {
            _ when t == typeof(bool) => (bool.TryParse(text, out var b), (object)b),
            _ when t == typeof(int) => (int.TryParse(text, NumberStyles.Integer, ci, out var i), i),
            _ when t == typeof(long) => (long.TryParse(text, NumberStyles.Integer, ci, out var l), l),
            _ when t == typeof(float) => (float.TryParse(text, NumberStyles.Float, ci, out var f), f),
            _ => (double.TryParse(text, NumberStyles.Float, ci, out var d), (object)d),
        };
        if (!ok)
            throw new ArgumentException($"{what}: '{text}' is not a valid {t.Name}.");
        return value;
    }
}
