namespace Microsoft.ML.AdGan.Inference;

/// <summary>Which statistics instance normalisation uses when an image needs more than one tile.</summary>
public enum TileStatistics
{
    /// <summary>Statistics of the whole image, pooled over the tiles in a first pass; tiles then agree with whole-image inference.</summary>
    Image,

    /// <summary>Each tile's own statistics (one pass; as training normalises each crop, but results depend on the tiling).</summary>
    Tile,
}
