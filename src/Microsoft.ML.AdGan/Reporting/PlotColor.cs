namespace Microsoft.ML.AdGan.Reporting;

/// <summary>An opaque RGB colour for plots and overlays.</summary>
/// <param name="R">Red, 0-255.</param>
/// <param name="G">Green, 0-255.</param>
/// <param name="B">Blue, 0-255.</param>
internal readonly record struct PlotColor(byte R, byte G, byte B)
{
    /// <summary>Red (predictions in overlays).</summary>
    public static PlotColor Red => new(230, 40, 40);

    /// <summary>Green (ground truth in overlays).</summary>
    public static PlotColor Green => new(40, 210, 70);

    /// <summary>Cyan.</summary>
    public static PlotColor Cyan => new(40, 200, 230);

    /// <summary>Yellow.</summary>
    public static PlotColor Yellow => new(240, 210, 40);

    /// <summary>Colours of plot series in order (Tableau 10).</summary>
    public static IReadOnlyList<PlotColor> Series { get; } = new PlotColor[]
    {
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    };

    /// <summary>True when the colour is a shade of grey (R = G = B), which an overlay could not tell from the image.</summary>
    public bool IsGrey => R == G && G == B;
}
