using System.CommandLine;

namespace AdGan.Cli.Commands;

/// <summary>The options of a benchmark that trains a small model: --crop, --ngf, --batch, --iterations and --threads.</summary>
internal sealed class TinyRunOptions
{
    private readonly Option<int> _crop, _ngf, _batch, _iterations, _threads;

    /// <summary>The options with their defaults; <paramref name="iterationsDescription"/> says what the iterations are.</summary>
    public TinyRunOptions(int crop, int ngf, int batch, int iterations, string iterationsDescription)
    {
        _crop = BenchCommand.IntOption("--crop", "Crop size.", crop);
        _ngf = BenchCommand.IntOption("--ngf", "Base channel count.", ngf);
        _batch = BenchCommand.IntOption("--batch", "Batch size.", batch);
        _iterations = BenchCommand.IntOption("--iterations", iterationsDescription, iterations);
        _threads = BenchCommand.IntOption("--threads", "Torch intra-op threads.", 2);
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new[] { _crop, _ngf, _batch, _iterations, _threads })
            command.Options.Add(option);
    }

    /// <summary>The parsed values.</summary>
    public (int Crop, int Ngf, int Batch, int Iterations, int Threads) Values(ParseResult parseResult) =>
        (parseResult.GetValue(_crop), parseResult.GetValue(_ngf), parseResult.GetValue(_batch), parseResult.GetValue(_iterations), parseResult.GetValue(_threads));
}
