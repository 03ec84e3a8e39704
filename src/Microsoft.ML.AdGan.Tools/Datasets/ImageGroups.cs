using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML.AdGan.Tools.Datasets;

/// <summary>
/// Image groups of a collection laid out as S-BSST265: an <c>image_description.csv</c> whose first three columns are the image
/// name (without extension), Diagnosis and Preparation. A group is named "Diagnosis | Preparation", in file order.
/// </summary>
public static class ImageGroups
{
    /// <summary>
    /// Reads the groups of <paramref name="descriptionCsv"/>, keeping only those that <see cref="Matches"/> <paramref name="filter"/>
    /// (null: all). Throws <see cref="FileNotFoundException"/> naming the file when it is missing.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string descriptionCsv, string? filter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(descriptionCsv);
        if (!File.Exists(descriptionCsv))
            throw new FileNotFoundException($"Image description '{descriptionCsv}' does not exist.", descriptionCsv);
        var groups = new Dictionary<string, List<string>>();
        var order = new List<string>();
        foreach (var line in File.ReadLines(descriptionCsv).Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length < 3)
                continue;
            string group = $"{cells[1].Trim()} | {cells[2].Trim()}";
            if (filter is not null && !Matches(group, filter))
                continue;
            if (!groups.TryGetValue(group, out var names))
            {
                groups[group] = names = new List<string>();
                order.Add(group);
            }

            names.Add(cells[0].Trim());
        }

        return order.ToDictionary(g => g, g => (IReadOnlyList<string>)groups[g]);
    }

    /// <summary>
    /// True when <paramref name="group"/> contains <paramref name="filter"/> (case-insensitive), or when every word of the filter
    /// is a whole word of the group: "HaCaT cytospin" selects "normal (HaCaT) | cellline cytospin", and "neuroblastoma
    /// cytospin" does not select "Ganglioneuroblastoma | tissue section".
    /// </summary>
    public static bool Matches(string group, string filter)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(filter);
        if (group.Contains(filter, StringComparison.OrdinalIgnoreCase))
            return true;
        var words = Words(group).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var wanted = Words(filter).ToList();
        return wanted.Count > 0 && wanted.All(words.Contains);
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split(text.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries);
}
