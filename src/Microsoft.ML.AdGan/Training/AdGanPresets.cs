using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Named option sets that differ from the defaults: the paper's GPU configuration, and volumes. The CPU-sized configuration
/// for images is the defaults themselves (<c>new AdGanTrainerOptions()</c>: crop 96, ngf 16, batch 4, 1000 + 1000
/// iterations), so it has no preset of its own.
/// </summary>
public static class AdGanPresets
{
    /// <summary>The paper's configuration: crop 256, ngf 64, batch 8, 5000 + 5000 iterations (a GPU is needed).</summary>
    public static T Paper<T>() where T : AdGanTrainerOptions, new() => new()
    {
        CropSize = 256,
        BaseChannels = 64,
        BatchSize = 8,
        Iterations = 5000,
        DecayIterations = 5000,
        Tiling = new Inference.TilingOptions { TileSize = 512 },
        Masks = new SyntheticMaskOptions { SemiAxis = (13, 18), CountPerPatch = (5, 40), Coding = SyntheticMaskCoding.ThreeLevel },
    };

    /// <summary>
    /// CPU-sized volumes: sub-volumes 24 x 32 x 32 (the discriminator's minimum depth), ngf 8, batch 2, tiles 24 x 48 x 48
    /// normalised per tile with overlap 0.25 (the tiling the 3D figures were measured with; tiles this small cannot clear the
    /// generator's reach anyway); a 3D iteration costs far more than a 2D one, so crops are small enough for hundreds of
    /// iterations in half an hour on 2 cores.
    /// </summary>
    public static T Cpu3D<T>() where T : AdGanTrainerOptions, new() => new()
    {
        Dimensions = 3,
        CropDepth = 24,
        CropSize = 32,
        BaseChannels = 8,
        BatchSize = 2,
        Iterations = 1000,
        DecayIterations = 1000,
        Tiling = new Inference.TilingOptions { TileSize = 48, TileDepth = 24, Overlap = 0.25, Statistics = Inference.TileStatistics.Tile },
        Masks = new SyntheticMaskOptions { SemiAxis = (5, 9), CountPerPatch = (2, 4), Coding = SyntheticMaskCoding.ThreeLevel },
    };

    /// <summary>Paper-scale volumes: sub-volumes 64 x 128 x 128, ngf 64, batch 2, 5000 + 5000 iterations, tiles 64 x 128 x 128 normalised per tile, overlap 0.25 (a GPU is needed).</summary>
    public static T Paper3D<T>() where T : AdGanTrainerOptions, new() => new()
    {
        Dimensions = 3,
        CropDepth = 64,
        CropSize = 128,
        BaseChannels = 64,
        BatchSize = 2,
        Iterations = 5000,
        DecayIterations = 5000,
        Tiling = new Inference.TilingOptions { TileSize = 128, TileDepth = 64, Overlap = 0.25, Statistics = Inference.TileStatistics.Tile },
        Masks = new SyntheticMaskOptions { SemiAxis = (8, 13), CountPerPatch = (5, 20), Coding = SyntheticMaskCoding.ThreeLevel },
    };

    /// <summary>Paper preset as plain trainer options.</summary>
    public static AdGanTrainerOptions Paper() => Paper<AdGanTrainerOptions>();

    /// <summary>CPU volume preset as plain trainer options.</summary>
    public static AdGanTrainerOptions Cpu3D() => Cpu3D<AdGanTrainerOptions>();

    /// <summary>Paper-scale volume preset as plain trainer options.</summary>
    public static AdGanTrainerOptions Paper3D() => Paper3D<AdGanTrainerOptions>();
}
