using System.CommandLine;

namespace AdGan.Cli.Commands;

/// <summary>What a batch verb does when one file fails.</summary>
internal enum BatchErrorPolicy
{
    /// <summary>Report the file, go on with the rest, and exit with <see cref="BatchRunner.PartialFailureExitCode"/> at the end.</summary>
    Continue,

    /// <summary>Stop at the first failed file with its error (exit code 1).</summary>
    Stop,
}

/// <summary>
/// Runs one step per file of a batch verb (segment, label, priors): by default a failed file is reported and the batch goes on,
/// then a summary lists the files done and each failed file with its reason; --on-error stop ends the batch at the first failure.
/// </summary>
internal static class BatchRunner
{
    /// <summary>Exit code of a batch that finished with some files failed (1 stays for errors that stop a verb).</summary>
    public const int PartialFailureExitCode = 3;

    /// <summary>The policy of the verb now running (flows with its action; <see cref="BatchErrorPolicy.Continue"/> outside one).</summary>
    private static readonly AsyncLocal<BatchErrorPolicy?> Current = new();

    /// <summary>Adds --on-error to <paramref name="command"/> (which must have its action) and returns it.</summary>
    public static Command AddTo(Command command)
    {
        var action = command.Action as System.CommandLine.Invocation.SynchronousCommandLineAction
            ?? throw new InvalidOperationException($"Verb '{command.Name}' needs its action before --on-error is added.");
        var onError = new Option<string>("--on-error")
        {
            Description = $"A file that cannot be processed: continue (report it, go on, summarise, exit code {PartialFailureExitCode} when any failed) or stop (at the first, exit code 1).",
            DefaultValueFactory = _ => "continue",
        };
        onError.AcceptOnlyFromAmong("continue", "stop");
        command.Options.Add(onError);
        command.SetAction(parseResult =>
        {
            var previous = Current.Value;
            Current.Value = parseResult.GetValue(onError) == "stop" ? BatchErrorPolicy.Stop : BatchErrorPolicy.Continue;
            try
            {
                return action.Invoke(parseResult);
            }
            finally
            {
                Current.Value = previous;
            }
        });
        return command;
    }

    /// <summary>The policy of this run's --on-error (continue when the verb has no such flag).</summary>
    public static BatchErrorPolicy Policy => Current.Value ?? BatchErrorPolicy.Continue;

    /// <summary>
    /// Runs <paramref name="step"/> on each file; returns the files that failed with their reasons. Under
    /// <see cref="BatchErrorPolicy.Stop"/> the first failure is rethrown. Failures are written to standard error as they happen;
    /// <paramref name="log"/> is the verb's output, where <see cref="BatchResult.Summarise"/> writes.
    /// </summary>
    public static BatchResult Run(IReadOnlyList<string> files, Action<string> step, TextWriter log, BatchErrorPolicy? policy = null)
    {
        var failed = new List<(string File, string Reason)>();
        var stop = (policy ?? Policy) == BatchErrorPolicy.Stop;
        foreach (var file in files)
        {
            try
            {
                step(file);
            }
            catch (Exception e) when (stop && IsFileFailure(e) && !e.Message.Contains(Path.GetFileName(file), StringComparison.Ordinal))
            {
                throw new BatchFileException(file, Reason(e), e);
            }
            catch (Exception e) when (!stop && IsFileFailure(e))
            {
                string reason = Reason(e);
                failed.Add((file, reason));
                Console.Error.WriteLine($"error: {reason}{(reason.Contains(Path.GetFileName(file), StringComparison.Ordinal) ? string.Empty : $" ({file})")}");
            }
        }

        return new BatchResult(files.Count, failed);
    }

    /// <summary>Exceptions that end one file's work but not the batch (not cancellation, not running out of memory).</summary>
    private static bool IsFileFailure(Exception e) => e is not (OperationCanceledException or OutOfMemoryException);

    /// <summary>The innermost useful message of <paramref name="e"/> on one line.</summary>
    internal static string Reason(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is not null)
            e = e.InnerException;
        return e.Message.ReplaceLineEndings(" ");
    }
}

/// <summary>How a batch went: the files it had and those that failed, with their reasons.</summary>
internal sealed record BatchResult(int Total, IReadOnlyList<(string File, string Reason)> Failed)
{
    /// <summary>Files processed without error.</summary>
    public int Succeeded => Total - Failed.Count;

    /// <summary>Exit code: 0 when every file was processed, <see cref="BatchRunner.PartialFailureExitCode"/> otherwise.</summary>
    public int ExitCode => Failed.Count == 0 ? 0 : BatchRunner.PartialFailureExitCode;

    /// <summary>Writes the summary (counts, then each failed file with its reason) and returns <see cref="ExitCode"/>.</summary>
    public int Summarise(TextWriter log)
    {
        log.WriteLine($"{Succeeded} ok, {Failed.Count} failed (of {Total} files){(Failed.Count == 0 ? "." : ":")}");
        foreach (var (file, reason) in Failed)
            log.WriteLine($"  {file}: {reason}");
        return ExitCode;
    }
}

/// <summary>The file a batch stopped at (--on-error stop), with the reason.</summary>
internal sealed class BatchFileException(string file, string reason, Exception inner) : IOException($"'{file}': {reason}", inner);
