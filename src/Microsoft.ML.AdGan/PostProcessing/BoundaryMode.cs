namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>How a filter extends the image beyond its border (scipy.ndimage mode names).</summary>
internal enum BoundaryMode
{
    /// <summary>Repeats the edge pixel: a a | a b c | c c (scipy 'nearest', skimage gaussian's default).</summary>
    Nearest,

    /// <summary>Mirrors about the edge pixel: c b | a b c | b a (scipy 'mirror', skimage 'reflect').</summary>
    Mirror,

    /// <summary>Mirrors about the edge, repeating it: b a | a b c | c b (scipy 'reflect', skimage 'symmetric').</summary>
    Reflect,
}
