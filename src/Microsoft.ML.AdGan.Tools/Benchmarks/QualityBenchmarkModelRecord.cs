using System.Text.Json;

namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>What <see cref="QualityBenchmark"/> records beside a saved model (seed-N.json): how far its training got and how long it took.</summary>
/// <param name="Iterations">Iterations completed.</param>
/// <param name="TrainingMinutes">Wall-clock minutes of training.</param>
public sealed record QualityBenchmarkModelRecord(int Iterations, double TrainingMinutes)
{
    /// <summary>The record's path for a model file: the same name with the extension .json.</summary>
    public static string PathFor(string modelFile) => Path.ChangeExtension(modelFile, ".json");

    /// <summary>Writes the record beside <paramref name="modelFile"/>.</summary>
    public void Write(string modelFile) => File.WriteAllText(PathFor(modelFile), JsonSerializer.Serialize(this));

    /// <summary>Reads the record of <paramref name="modelFile"/>; throws <see cref="FileNotFoundException"/> naming the model or record that is missing.</summary>
    public static QualityBenchmarkModelRecord Read(string modelFile)
    {
        if (!File.Exists(modelFile))
            throw new FileNotFoundException($"No saved model '{modelFile}' to reuse: run the benchmark with this model folder and seed first.", modelFile);
        string record = PathFor(modelFile);
        if (!File.Exists(record))
            throw new FileNotFoundException($"The saved model '{modelFile}' has no record '{record}' of its training.", record);
        return JsonSerializer.Deserialize<QualityBenchmarkModelRecord>(File.ReadAllText(record))
            ?? throw new InvalidDataException($"'{record}' is empty.");
    }
}
