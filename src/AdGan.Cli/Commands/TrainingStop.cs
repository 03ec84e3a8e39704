using System.Runtime.InteropServices;

namespace AdGan.Cli.Commands;

/// <summary>
/// Turns SIGINT (Ctrl+C), SIGTERM (what `docker stop`, Kubernetes and batch schedulers send) and SIGHUP (a closed terminal or SSH
/// connection) into a cancellation that training honours at its next safe point, after the iteration under way, writing a checkpoint
/// of the last completed iteration. A second signal is left to its default action and ends the process at once.
/// </summary>
internal sealed class TrainingStop : IDisposable
{
    private static readonly PosixSignal[] Signals = { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP };
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = new();
    private int _requested;

    /// <summary>Registers the handlers for the lifetime of this object.</summary>
    public TrainingStop()
    {
        foreach (var signal in Signals)
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = Request(context.Signal)));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere (SIGHUP on Windows); the others still stop training cleanly.
            }
        }
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>Exit code after a stop: 128 plus the signal's number, as shells report a process ended by it (130 for Ctrl+C).</summary>
    public int ExitCode => 128 + Signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGTERM => 15,
        _ => 2,
    };

    /// <summary>Records <paramref name="signal"/> and cancels training; returns false for a second signal, whose default action then ends the process.</summary>
    internal bool Request(PosixSignal signal)
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1)
            return false;
        Signal = signal;
        _cancel.Cancel();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cancel.Dispose();
    }
}
