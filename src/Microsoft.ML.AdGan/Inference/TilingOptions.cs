namespace Microsoft.ML.AdGan.Inference;

/// <summary>How a large image or volume is cut into overlapping tiles for inference (immutable; copy with <c>with</c>).</summary>
public sealed record TilingOptions
{
    /// <summary>Tile side in pixels along Y and X (rounded up to a multiple of 4). Default 256.</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Tile side along Z for volumes (rounded up to a multiple of 4). Default 64.</summary>
    public int TileDepth { get; init; } = 64;

    /// <summary>Overlap between neighbouring tiles, as a fraction of the tile side, in [0, 0.5]. Default 0.25.</summary>
    public double Overlap { get; init; } = 0.25;

    /// <summary>
    /// Statistics instance normalisation uses when an image needs several tiles. Default <see cref="TileStatistics.Tile"/>:
    /// each tile is normalised by itself, as training normalises each crop (a small model decoded with image statistics
    /// lost pixel Dice in LearningTests); <see cref="TileStatistics.Image"/> brings tiled results closer to whole-image
    /// inference at the cost of a statistics pass.
    /// </summary>
    public TileStatistics Statistics { get; init; } = TileStatistics.Tile;

    /// <summary>
    /// Passes over the tiles that gather image statistics before the pass that produces the output, in [1, 4]; each later
    /// pass gathers with the previous pass's statistics, so deep layers see inputs closer to whole-image ones. Default 1.
    /// </summary>
    public int StatisticsPasses { get; init; } = 1;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (TileSize < 8)
            throw new ArgumentOutOfRangeException(nameof(TileSize), TileSize, "TileSize must be at least 8 pixels.");
        if (TileDepth < 4)
            throw new ArgumentOutOfRangeException(nameof(TileDepth), TileDepth, "TileDepth must be at least 4 voxels.");
        if (!(Overlap >= 0 && Overlap <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, "Overlap must lie in [0, 0.5].");
        if (!Enum.IsDefined(Statistics))
            throw new ArgumentOutOfRangeException(nameof(Statistics), Statistics, "Unknown TileStatistics.");
        if (StatisticsPasses is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(StatisticsPasses), StatisticsPasses, "StatisticsPasses must lie in [1, 4].");
    }
}
