using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>
/// Progress of a long command: on a terminal one line redrawn in place (a bar, the count, the current item and the time left);
/// when output is redirected, plain lines instead, at most one per <see cref="PlainInterval"/> plus the last. Training reports
/// its losses through <see cref="Report(AdGanTrainingMetrics)"/>, commands that walk a folder through <see cref="Start"/> and
/// <see cref="Advance"/>.
/// </summary>
internal sealed class ConsoleProgress
{
    private const int BarWidth = 30;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Func<TimeSpan> _clock;
    private bool _lineOpen;
    private int _lineLength;
    private string _task = string.Empty;
    private int _total, _done;
    private TimeSpan _started, _lastPlain;

    /// <summary>Progress on the console: a bar on a terminal, plain lines when standard output is redirected.</summary>
    public ConsoleProgress()
        : this(Console.Out, !Console.IsOutputRedirected)
    {
    }

    /// <summary>Progress on <paramref name="output"/>; <paramref name="clock"/> (default: a stopwatch) gives the time since some start.</summary>
    internal ConsoleProgress(TextWriter output, bool interactive, Func<TimeSpan>? clock = null)
    {
        _out = output;
        _interactive = interactive;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }

        _clock = clock;
    }

    /// <summary>Progress on <paramref name="output"/>, drawn as a bar only when that is the console's unredirected output.</summary>
    public static ConsoleProgress For(TextWriter output)
        => new(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);

    /// <summary>Least time between two plain lines when output is redirected. Default 5 seconds.</summary>
    public TimeSpan PlainInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One training step: bar, losses, speed and ETA.</summary>
    public void Report(AdGanTrainingMetrics m)
    {
        var l = m.Losses;
        string text = $"[{Bar(m.Iteration, m.TotalIterations)}] {m.Iteration}/{m.TotalIterations} rec {l.Reconstruction:F3} cyc {l.Cycle:F3} ctr {l.Content:F3} adv {l.Adversarial:F3} dis {l.Discriminator:F3} {m.IterationsPerSecond:F2} it/s ETA {m.EstimatedRemaining:hh\\:mm\\:ss}";
        if (_interactive)
            Redraw(text);
        else
            _out.WriteLine(text);
    }

    /// <summary>Begins a task of <paramref name="total"/> items (images, files).</summary>
    public void Start(string task, int total)
    {
        Done();
        _task = task;
        _total = Math.Max(0, total);
        _done = 0;
        _started = _lastPlain = _clock();
        if (_interactive && _total > 0)
            Redraw(ItemLine(null, TimeSpan.Zero));
    }

    /// <summary>One more item done (<paramref name="item"/> names it).</summary>
    public void Advance(string? item = null)
    {
        _done++;
        var now = _clock();
        var elapsed = now - _started;
        if (_interactive)
        {
            Redraw(ItemLine(item, elapsed));
            return;
        }

        if (_done == _total || _done == 1 || now - _lastPlain >= PlainInterval)
        {
            _out.WriteLine(ItemLine(item, elapsed));
            _lastPlain = now;
        }
    }

    /// <summary>A message on a line of its own (the bar is redrawn by the next step); the trainer's per-iteration lines are left to the bar.</summary>
    public void Log(string message)
    {
        if (message.StartsWith("iter ", StringComparison.Ordinal))
            return; // the bar shows it
        Done();
        _out.WriteLine(message);
    }

    /// <summary>Ends the bar's line.</summary>
    public void Done()
    {
        if (_lineOpen)
            _out.WriteLine();
        _lineOpen = false;
        _lineLength = 0;
    }

    private string ItemLine(string? item, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        string count = _total > 0 ? string.Create(c, $"{_done}/{_total} ({100.0 * _done / _total:0}%)") : _done.ToString(c);
        string eta = _done > 0 && _total > _done ? ", ETA " + Clock(elapsed / _done * (_total - _done)) : string.Empty;
        string name = item is null ? string.Empty : " " + item;
        return _interactive
            ? $"{_task} [{Bar(_done, _total)}] {count}{name} {Clock(elapsed)}{eta}"
            : $"{_task} {count}{name}, elapsed {Clock(elapsed)}{eta}";
    }

    private void Redraw(string text)
    {
        int width = Math.Max(40, SafeWindowWidth() - 1);
        if (text.Length > width)
            text = text[..(width - 3)] + "...";
        _out.Write("\r" + text + (text.Length < _lineLength ? new string(' ', _lineLength - text.Length) : string.Empty));
        _out.Flush();
        _lineLength = text.Length;
        _lineOpen = true;
    }

    private static string Bar(long done, long total)
    {
        int filled = total > 0 ? (int)Math.Round(BarWidth * Math.Clamp(done / (double)total, 0, 1)) : 0;
        return new string('#', filled) + new string('-', BarWidth - filled);
    }

    private static string Clock(TimeSpan t) => t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            return 120;
        }
    }
}
