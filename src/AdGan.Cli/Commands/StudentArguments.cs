using System.CommandLine;
using System.Globalization;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Training;

namespace AdGan.Cli.Commands;

/// <summary>The student flags that `adgan train` and `adgan bench quality` share, and how they set <see cref="AdGanTrainerOptions.Student"/>.</summary>
internal sealed class StudentArguments
{
    private readonly Option<string?> _student = new("--student") { Description = "on: after AD-GAN, train a small student network on the generator's translations of fresh synthetic masks and save it in the model; off: none (default: off)." };
    private readonly Option<int?> _iterations = new("--student-iterations") { Description = "Student training steps (default 1500)." };
    private readonly Option<int?> _patches = new("--student-patches") { Description = "Synthetic patches the generator renders for the student before its training (default 2048)." };
    private readonly Option<int?> _channels = new("--student-channels") { Description = "Student channels at full resolution, doubled per level (default 8)." };
    private readonly Option<int?> _depth = new("--student-depth") { Description = "Student downsamplings (default 3)." };
    private readonly Option<StudentTarget?> _target = new("--student-target") { Description = "What the student predicts: Distance (normalised distance to each nucleus' edge; default) or ThreeLevel (background, ring, core)." };
    private readonly Option<double?> _pseudo = new("--student-pseudo-labels") { Description = "Share of each student batch taken from the training images labelled by AD-GAN itself, 0-1 (default 0: rendered patches only)." };
    private readonly Option<string?> _decoding = new("--student-decoding") { Description = "How the student's maps are labelled: Peaks (default), Cores or Split; bench quality accepts a comma-separated list and scores each." };

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => new Option[] { _student, _iterations, _patches, _channels, _depth, _target, _pseudo, _decoding };

    /// <summary>Sets or clears <see cref="AdGanTrainerOptions.Student"/> from the flags; throws <see cref="ArgumentException"/> naming a bad flag.</summary>
    public void Apply(ParseResult parseResult, AdGanTrainerOptions options)
    {
        bool tuned = parseResult.GetValue(_iterations) is not null || parseResult.GetValue(_patches) is not null || parseResult.GetValue(_channels) is not null || parseResult.GetValue(_depth) is not null
            || parseResult.GetValue(_target) is not null || parseResult.GetValue(_decoding) is not null || parseResult.GetValue(_pseudo) is not null;
        switch (parseResult.GetValue(_student)?.ToLowerInvariant())
        {
            case null:
                break;
            case "on":
                options.Student ??= new StudentTrainingOptions();
                break;
            case "off":
                if (tuned)
                    throw new ArgumentException("--student off leaves no student for the --student-* flags to set.");
                options.Student = null;
                return;
            case var other:
                throw new ArgumentException($"--student must be on or off, not '{other}'.");
        }
        if (!tuned)
            return;
        if (options.Student is null)
            throw new ArgumentException("The --student-* flags need --student on.");
        var student = options.Student;
        if (parseResult.GetValue(_iterations) is int iterations)
            student.Iterations = iterations;
        if (parseResult.GetValue(_patches) is int patches)
            student.Patches = patches;
        if (parseResult.GetValue(_pseudo) is double pseudo)
            student.PseudoLabelFraction = pseudo;
        var network = student.Network;
        if (parseResult.GetValue(_channels) is int channels)
            network = network with { BaseChannels = channels };
        if (parseResult.GetValue(_depth) is int depth)
            network = network with { Depth = depth };
        if (parseResult.GetValue(_target) is StudentTarget target)
            network = network with { Target = target };
        student.Network = network;
        if (Decodings(parseResult) is { Count: > 0 } decodings)
            student.Decoding = decodings[0];
    }

    /// <summary>The decodings listed by --student-decoding (empty when not given).</summary>
    public IReadOnlyList<StudentDecoding> Decodings(ParseResult parseResult)
    {
        if (parseResult.GetValue(_decoding) is not { } text)
            return Array.Empty<StudentDecoding>();
        var result = new List<StudentDecoding>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<StudentDecoding>(part, ignoreCase: true, out var decoding) || !Enum.IsDefined(decoding))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--student-decoding: '{part}' is not one of {string.Join(", ", Enum.GetNames<StudentDecoding>())}."));
            result.Add(decoding);
        }
        return result;
    }
}
