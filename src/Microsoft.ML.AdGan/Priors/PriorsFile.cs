using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>The JSON form of <see cref="EstimatedPriors"/> (priors.json), format "adgan-priors" version 1.</summary>
internal static class PriorsFile
{
    public const string FormatName = "adgan-priors";
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(EstimatedPriors priors, string path)
    {
        ArgumentNullException.ThrowIfNull(priors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dto = new FileDto
        {
            Format = FormatName,
            Version = FormatVersion,
            PatchSize = priors.PatchSize,
            TargetRadius = priors.TargetRadius,
            ImageScale = priors.ImageScale,
            SemiAxis = new RangeDto { Min = priors.SemiAxis.Min, Max = priors.SemiAxis.Max },
            CountPerPatch = new RangeDto { Min = priors.CountPerPatch.Min, Max = priors.CountPerPatch.Max },
            Measured = StatsDto.From(priors.Measured),
            Counts = new CountsDto
            {
                Positions = priors.Counts.Positions,
                Median = priors.Counts.Median,
                Low = priors.Counts.Low,
                High = priors.Counts.High,
                LowPercentile = priors.Counts.LowPercentile,
                HighPercentile = priors.Counts.HighPercentile,
            },
            Images = priors.Images.Select(i => new ImageDto { Name = i.Name, Height = i.Height, Width = i.Width, NucleusCount = i.NucleusCount, SemiAxis = StatsDto.From(i.SemiAxis) }).ToList(),
        };
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            File.WriteAllText(path, JsonSerializer.Serialize(dto, Json));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Priors file '{path}' cannot be written: {ex.Message}", ex);
        }
    }

    public static EstimatedPriors Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Priors file '{path}' not found.", path);
        FileDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<FileDto>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Priors file '{path}' is not valid priors JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Priors file '{path}' cannot be read: {ex.Message}", ex);
        }

        if (dto is null)
            throw new InvalidDataException($"Priors file '{path}' holds JSON null, not priors.");
        if (dto.Format != FormatName)
            throw new InvalidDataException($"Priors file '{path}': \"format\" is '{dto.Format}', expected '{FormatName}'.");
        if (dto.Version != FormatVersion)
            throw new InvalidDataException($"Priors file '{path}': version {dto.Version} is not supported (this library reads version {FormatVersion}).");
        var semi = Require(dto.SemiAxis, "semiAxis", path);
        var count = Require(dto.CountPerPatch, "countPerPatch", path);
        if (dto.PatchSize < 8)
            throw new InvalidDataException($"Priors file '{path}': patchSize {dto.PatchSize} must be at least 8.");
        if (!(dto.ImageScale > 0 && double.IsFinite(dto.ImageScale)))
            throw new InvalidDataException($"Priors file '{path}': imageScale {dto.ImageScale} must be positive and finite.");
        if (semi.Min < 1 || semi.Max < semi.Min)
            throw new InvalidDataException($"Priors file '{path}': semiAxis ({semi.Min}, {semi.Max}) must satisfy 1 <= min <= max.");
        if (count.Min < 0 || count.Max < count.Min)
            throw new InvalidDataException($"Priors file '{path}': countPerPatch ({count.Min}, {count.Max}) must satisfy 0 <= min <= max.");
        var measured = Require(dto.Measured, "measured", path).ToStatistics();
        var counts = dto.Counts is { } c
            ? new CountStatistics(c.Positions, c.Median, c.Low, c.High, c.LowPercentile, c.HighPercentile)
            : new CountStatistics(0, double.NaN, double.NaN, double.NaN, 10, 90);
        var images = (dto.Images ?? new List<ImageDto>())
            .Select((i, k) => new ImagePriorSummary(i.Name ?? $"image {k}", i.Height, i.Width, i.NucleusCount, Require(i.SemiAxis, $"images[{k}].semiAxis", path).ToStatistics()))
            .ToList();
        return new EstimatedPriors(dto.PatchSize, dto.TargetRadius, dto.ImageScale, (semi.Min, semi.Max), (count.Min, count.Max), measured, counts, images);
    }

    private static T Require<T>(T? value, string name, string path) where T : class
        => value ?? throw new InvalidDataException($"Priors file '{path}': the \"{name}\" field is missing.");

    private sealed class FileDto
    {
        public string? Format { get; set; }

        public int Version { get; set; }

        public int PatchSize { get; set; }

        public double ImageScale { get; set; }

        public double? TargetRadius { get; set; }

        public RangeDto? SemiAxis { get; set; }

        public RangeDto? CountPerPatch { get; set; }

        public StatsDto? Measured { get; set; }

        public CountsDto? Counts { get; set; }

        public List<ImageDto>? Images { get; set; }
    }

    private sealed class RangeDto
    {
        public int Min { get; set; }

        public int Max { get; set; }
    }

    private sealed class StatsDto
    {
        public int Count { get; set; }

        public double Median { get; set; }

        public double Low { get; set; }

        public double High { get; set; }

        public double LowPercentile { get; set; }

        public double HighPercentile { get; set; }

        public double Mean { get; set; }

        public static StatsDto From(SemiAxisStatistics s) => new()
        {
            Count = s.Count,
            Median = s.Median,
            Low = s.Low,
            High = s.High,
            LowPercentile = s.LowPercentile,
            HighPercentile = s.HighPercentile,
            Mean = s.Mean,
        };

        public SemiAxisStatistics ToStatistics() => new(Count, Median, Low, High, LowPercentile, HighPercentile, Mean);
    }

    private sealed class CountsDto
    {
        public int Positions { get; set; }

        public double Median { get; set; }

        public double Low { get; set; }

        public double High { get; set; }

        public double LowPercentile { get; set; }

        public double HighPercentile { get; set; }
    }

    private sealed class ImageDto
    {
        public string? Name { get; set; }

        public int Height { get; set; }

        public int Width { get; set; }

        public double NucleusCount { get; set; }

        public StatsDto? SemiAxis { get; set; }
    }
}
