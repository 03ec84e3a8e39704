using Microsoft.ML.AdGan.Networks;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The network of the segmentation pipeline: maps one normalised tile at the working scale to its decoded tile. It is the
/// only place a backend runs (TorchSharp today), so another runtime can replace it without touching tiling, scaling or
/// labelling; <see cref="TiledInference"/> cuts the tiles and blends the results with plain arrays.
/// </summary>
internal interface ITileNetwork
{
    /// <summary>Smallest side, in pixels along every spatial axis, of a tile the network accepts; the pipeline pads smaller images (reflect) to it.</summary>
    int MinimumSide { get; }

    /// <summary>
    /// Estimated peak working memory, in bytes per input pixel of a tile, of one <see cref="DecodeTile"/> call (what
    /// <see cref="TilingOptions.MemoryBudgetMiB"/> is divided by); 0 when unknown, which keeps tiles at
    /// <see cref="TilingOptions.TileSize"/>.
    /// </summary>
    double WorkingBytesPerPixel { get; }

    /// <summary>As <see cref="WorkingBytesPerPixel"/> for an image decoded whole as one tile with its own statistics, which some networks compute in less memory.</summary>
    double WholeImageBytesPerPixel { get; }

    /// <summary>
    /// True when the network can normalise tiles with statistics pooled over the whole image
    /// (<see cref="TileStatistics.Image"/>): it then honours the <see cref="IInstanceNormStatistics"/> passed to
    /// <see cref="DecodeTile"/>. A network that cannot ignores the option and normalises each tile by itself.
    /// </summary>
    bool PoolsImageStatistics { get; }

    /// <summary>
    /// Decodes one tile. <paramref name="tile"/> holds the normalised values (in [-1, 1], Z, Y, X row-major) of a tile of
    /// <paramref name="extents"/> (depth, height, width; depth 1 for images) of any size of at least <see cref="MinimumSide"/>;
    /// <paramref name="decoded"/> (same length) receives the decoded values in [-1, 1]. <paramref name="statistics"/> is null
    /// (the tile's own statistics) unless <see cref="PoolsImageStatistics"/>; it belongs to this call only. A network that can
    /// stop within a tile does so when <paramref name="cancellationToken"/> is cancelled (throwing
    /// <see cref="OperationCanceledException"/>); one that cannot finishes the tile and leaves the check to the caller.
    /// </summary>
    void DecodeTile(float[] tile, int[] extents, bool is3D, IInstanceNormStatistics? statistics, float[] decoded, CancellationToken cancellationToken);
}
