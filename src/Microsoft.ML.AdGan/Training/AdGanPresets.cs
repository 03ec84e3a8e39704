using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Training;

/// <summary>Named option sets: sizes that fit a laptop CPU, and the paper's GPU configuration.</summary>
public static class AdGanPresets
{
    /// <summary>CPU-sized: crop 96, ngf 16, batch 4, 1000 + 1000 iterations (minutes on 2 cores at small scales).</summary>
    public static T Cpu<T>() where T : AdGanTrainerOptions, new() => new()
    {
        CropSize = 96,
        BaseChannels = 16,
        BatchSize = 4,
        Iterations = 1000,
        DecayIterations = 1000,
    };

    /// <summary>The paper's configuration: crop 256, ngf 64, batch 8, 5000 + 5000 iterations (a GPU is needed).</summary>
    public static T Paper<T>() where T : AdGanTrainerOptions, new() => new()
    {
        CropSize = 256,
        BaseChannels = 64,
        BatchSize = 8,
        Iterations = 5000,
        DecayIterations = 5000,
        Tiling = new Inference.TilingOptions { TileSize = 512 },
        Masks = new SyntheticMaskOptions { SemiAxis = (13, 18), CountPerPatch = (5, 40), Coding = SyntheticMaskCoding.Instance },
    };

    /// <summary>CPU preset as plain trainer options.</summary>
    public static AdGanTrainerOptions Cpu() => Cpu<AdGanTrainerOptions>();

    /// <summary>Paper preset as plain trainer options.</summary>
    public static AdGanTrainerOptions Paper() => Paper<AdGanTrainerOptions>();
}
