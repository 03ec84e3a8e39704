namespace Microsoft.ML.AdGan.Reporting;

/// <summary>Size and labels of a <see cref="LossCurvePlot"/>.</summary>
internal sealed class LossCurvePlotOptions
{
    /// <summary>Picture width in pixels. Default 900.</summary>
    public int Width { get; set; } = 900;

    /// <summary>Picture height in pixels. Default 420.</summary>
    public int Height { get; set; } = 420;

    /// <summary>Title above the plot. Default "AD-GAN training losses".</summary>
    public string Title { get; set; } = "AD-GAN training losses";

    /// <summary>Names of the loss columns after the iteration column. Default rec, cyc, ctr, adv, dis (the trainer's loss history).</summary>
    public IReadOnlyList<string> SeriesNames { get; set; } = new[] { "reconstruction", "cycle", "content", "adversarial", "discriminator" };

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Width < 200)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be at least 200 pixels.");
        if (Height < 150)
            throw new ArgumentOutOfRangeException(nameof(Height), Height, "Height must be at least 150 pixels.");
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
        ArgumentNullException.ThrowIfNull(SeriesNames, nameof(SeriesNames));
    }
}
