using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>A one-line progress bar with losses, speed and ETA; falls back to plain lines when output is redirected.</summary>
internal sealed class ConsoleProgress
{
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private bool _lineOpen;

    public void Report(AdGanTrainingMetrics m)
    {
        const int width = 30;
        int filled = (int)Math.Round(width * m.Iteration / (double)m.TotalIterations);
        string bar = new string('#', filled) + new string('-', width - filled);
        var l = m.Losses;
        string text = $"[{bar}] {m.Iteration}/{m.TotalIterations} rec {l.Reconstruction:F3} cyc {l.Cycle:F3} ctr {l.Content:F3} adv {l.Adversarial:F3} dis {l.Discriminator:F3} {m.IterationsPerSecond:F2} it/s ETA {m.EstimatedRemaining:hh\\:mm\\:ss}";
        if (_interactive)
        {
            Console.Write("\r" + text);
            _lineOpen = true;
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    public void Log(string message)
    {
        if (message.StartsWith("iter ", StringComparison.Ordinal))
            return; // the bar shows it
        Done();
        Console.WriteLine(message);
    }

    public void Done()
    {
        if (_lineOpen)
            Console.WriteLine();
        _lineOpen = false;
    }
}
