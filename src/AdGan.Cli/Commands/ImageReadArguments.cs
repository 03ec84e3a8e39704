using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.ML.AdGan.Imaging;

namespace AdGan.Cli.Commands;

/// <summary>
/// The image-reading flags of every verb that reads images (--max-pixels, --non-finite) and the read options they give:
/// <see cref="AddTo"/> adds the flags to a verb and lets its action see them, so a verb only asks <see cref="Create"/> for options.
/// </summary>
internal static class ImageReadArguments
{
    /// <summary>The flags of the verb now running (flows with its action; null outside one: library defaults).</summary>
    private static readonly AsyncLocal<Settings?> Current = new();

    private sealed record Settings(long MaxPixels, NonFinitePixelPolicy NonFinite);

    /// <summary>Adds --max-pixels and --non-finite to <paramref name="command"/> (which must have its action) and returns it.</summary>
    public static Command AddTo(Command command)
    {
        var action = command.Action as SynchronousCommandLineAction
            ?? throw new InvalidOperationException($"Verb '{command.Name}' needs its action before image-reading flags are added.");
        var maxPixels = new Option<long>("--max-pixels")
        {
            Description = "Largest image to read, in pixels (voxels for stacks; 2^30 by default), checked from the file header before decoding.",
            DefaultValueFactory = _ => MicroscopyReadOptions.DefaultMaxPixels,
        };
        maxPixels.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1)
                result.AddError("--max-pixels must be at least 1.");
        });
        var nonFinite = new Option<string>("--non-finite")
        {
            Description = "NaN or infinite pixels (floating-point TIFF): error, or replace them by the image's finite minimum with a warning.",
            DefaultValueFactory = _ => "error",
        };
        nonFinite.AcceptOnlyFromAmong("error", "replace");
        command.Options.Add(maxPixels);
        command.Options.Add(nonFinite);
        command.SetAction(parseResult =>
        {
            var previous = Current.Value;
            Current.Value = new Settings(parseResult.GetValue(maxPixels),
                parseResult.GetValue(nonFinite) == "replace" ? NonFinitePixelPolicy.ReplaceWithMinimum : NonFinitePixelPolicy.Error);
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

    /// <summary>Read options with this run's --max-pixels and --non-finite (library defaults when the verb has no such flags).</summary>
    public static MicroscopyReadOptions Create(bool firstPageOnly = false, int? channel = null) => new()
    {
        FirstPageOnly = firstPageOnly,
        Channel = channel,
        MaxPixels = Current.Value?.MaxPixels ?? MicroscopyReadOptions.DefaultMaxPixels,
        NonFinite = Current.Value?.NonFinite ?? NonFinitePixelPolicy.Error,
    };

    /// <summary>Reads one file and prints its read warnings (e.g. replaced non-finite pixels) to standard error.</summary>
    public static MicroscopyImage ReadImage(string path, MicroscopyReadOptions options)
    {
        var image = MicroscopyImageReader.ReadImage(path, options);
        foreach (var warning in image.Warnings)
            Console.Error.WriteLine($"warning: {warning}");
        return image;
    }

    /// <summary>Reads one file's intensities as <see cref="ReadImage"/> does.</summary>
    public static ImageBuffer<float> Read(string path, MicroscopyReadOptions options) => ReadImage(path, options).Image;
}
