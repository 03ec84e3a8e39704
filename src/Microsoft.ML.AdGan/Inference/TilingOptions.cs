namespace Microsoft.ML.AdGan.Inference;

/// <summary>How a large image or volume is cut into overlapping tiles for inference.</summary>
public sealed class TilingOptions
{
    /// <summary>Tile side in pixels along Y and X (rounded up to a multiple of 4). Default 256.</summary>
    public int TileSize { get; set; } = 256;

    /// <summary>Tile side along Z for volumes (rounded up to a multiple of 4). Default 64.</summary>
    public int TileDepth { get; set; } = 64;

    /// <summary>Overlap between neighbouring tiles, as a fraction of the tile side, in [0, 0.5]. Default 0.25.</summary>
    public double Overlap { get; set; } = 0.25;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (TileSize < 8)
            throw new ArgumentOutOfRangeException(nameof(TileSize), TileSize, "TileSize must be at least 8 pixels.");
        if (TileDepth < 4)
            throw new ArgumentOutOfRangeException(nameof(TileDepth), TileDepth, "TileDepth must be at least 4 voxels.");
        if (!(Overlap >= 0 && Overlap <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, "Overlap must lie in [0, 0.5].");
    }
}
