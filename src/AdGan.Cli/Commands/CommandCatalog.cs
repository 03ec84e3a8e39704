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
        yield return ImageReadArguments.AddTo(BatchRunner.AddTo(PriorsCommand.Create()));
        yield return ImageReadArguments.AddTo(TrainCommand.Create());
        yield return ImageReadArguments.AddTo(BatchRunner.AddTo(SegmentCommand.Create()));
        yield return MergeSummariesCommand.Create();
        yield return ImportCommand.Create();
        yield return ExportCommand.Create();
        yield return EvaluateCommand.Create();
        yield return ImageReadArguments.AddTo(BatchRunner.AddTo(LabelCommand.Create()));
        yield return BenchCommand.Create();
    }
}
