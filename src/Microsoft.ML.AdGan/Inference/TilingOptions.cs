namespace Microsoft.ML.AdGan.Inference;

/// <summary>How a large image or volume is cut into overlapping tiles for inference (immutable; copy with <c>with</c>).</summary>
/// <remarks>
/// The defaults make tiled inference agree with whole-image inference. The generator's receptive field is 153 pixels wide
/// (conv 7; two stride-2 convs; 16 residual convs 3 x 3 at 1/4 resolution; two transposed convs; conv 7), so a pixel
/// within 76 pixels of a tile border sees the border's padding instead of the neighbouring image. Tiles of 512 with
/// overlap 0.375 overlap by 192 pixels, and the outer 0.4 of that, 77 pixels, gets
/// no weight at each interior border: every pixel that counts is out of the borders' reach. With image statistics every
/// tile then computes what the whole image computes (up to the statistics pass's approximation of deep layers).
/// </remarks>
public sealed record TilingOptions
{
    /// <summary>
    /// Tile side in pixels along Y and X at the working scale (rounded up to a multiple of 4): the tiles of the statistics pass,
    /// and the smallest tiles of the output pass (with image statistics they grow to <see cref="MemoryBudgetMiB"/>). Default 512.
    /// </summary>
    public int TileSize { get; init; } = 512;

    /// <summary>Tile side along Z for volumes (rounded up to a multiple of 4). Default 64.</summary>
    public int TileDepth { get; init; } = 64;

    /// <summary>
    /// Overlap between neighbouring tiles, as a fraction of <see cref="TileSize"/> (<see cref="TileDepth"/> along Z), in
    /// [0, 0.5]; tiles grown beyond it keep the same overlap in pixels. Default 0.375: with 512-pixel tiles the discarded
    /// margin (77 pixels) exceeds the generator's reach (76).
    /// </summary>
    public double Overlap { get; init; } = 0.375;

    /// <summary>
    /// Statistics instance normalisation uses when an image needs several tiles. Default <see cref="TileStatistics.Image"/>:
    /// tiles are normalised like the whole image, so the result hardly depends on the tiling (at the cost of a sampled
    /// statistics pass, and none when the image fits <see cref="MemoryBudgetMiB"/> whole);
    /// <see cref="TileStatistics.Tile"/> normalises each tile by itself, as training normalises each crop, which can suit
    /// a model decoded in tiles of its crop size (a small model in LearningTests scores higher so) but depends on the tiling.
    /// </summary>
    public TileStatistics Statistics { get; init; } = TileStatistics.Image;

    /// <summary>
    /// Passes over the tiles that gather image statistics before the pass that produces the output, in [1, 4]; each later
    /// pass gathers with the previous pass's statistics, so deep layers see inputs closer to whole-image ones. Default 1.
    /// </summary>
    public int StatisticsPasses { get; init; } = 1;

    /// <summary>
    /// Working memory, in MiB, the network may take for one tile of the output pass when <see cref="Statistics"/> is
    /// <see cref="TileStatistics.Image"/>: tiles grow from <see cref="TileSize"/> to the largest that the network's estimate
    /// says fits, and an image that fits whole is decoded whole (one pass, no statistics pass). 0 keeps tiles at
    /// <see cref="TileSize"/>. Per-tile statistics never grow tiles: their result depends on the tile. Default 1536, which
    /// decodes a 4096 x 4096 image whole with the generator at ngf 16 on the CPU (its banded forward holds about 80 bytes per
    /// pixel; tiles with image statistics take about 320).
    /// </summary>
    public int MemoryBudgetMiB { get; init; } = 1536;

    /// <summary>
    /// Fraction of the tiles of <see cref="TileSize"/> that the statistics pass runs, in (0, 1], spread evenly over the image
    /// (at least 4 tiles): the pass costs about this fraction of a forward over
    /// all of them. Default 1, every tile's core: a sample of 4 of 9 tiles of a trained model's image agreed with the whole
    /// image at mask Dice 0.972, below the 0.98 that every tile gives; 0.04 (7 of the 169 tiles of 4096 x 4096) costs a tenth.
    /// </summary>
    public double StatisticsSample { get; init; } = 1;

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
        if (MemoryBudgetMiB < 0)
            throw new ArgumentOutOfRangeException(nameof(MemoryBudgetMiB), MemoryBudgetMiB, "MemoryBudgetMiB must be at least 0 (0: tiles of TileSize).");
        if (!(StatisticsSample > 0 && StatisticsSample <= 1))
            throw new ArgumentOutOfRangeException(nameof(StatisticsSample), StatisticsSample, "StatisticsSample must lie in (0, 1].");
    }
}
