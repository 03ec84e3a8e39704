using System.CommandLine;

namespace AdGan.Cli.Commands;

/// <summary>Every verb of the adgan tool, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return MasksCommand.Create();
        yield return SimulateCommand.Create();
        yield return PriorsCommand.Create();
        yield return TrainCommand.Create();
        yield return SegmentCommand.Create();
        yield return MergeSummariesCommand.Create();
        yield return ImportCommand.Create();
        yield return ExportCommand.Create();
        yield return EvaluateCommand.Create();
        yield return LabelCommand.Create();
        yield return BenchCommand.Create();
    }
}
