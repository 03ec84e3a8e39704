using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Volumes;

/// <summary>Tiny anisotropic volumes (12 x 32 x 32 voxels of 1 x 0.5 x 0.5 um, 24 x 32 x 32 on cubic voxels) and tiny 3D training options.</summary>
internal static class TinyVolumes
{
    public static IReadOnlyList<SimulatedMicroscopyImage> Volumes(int count = 2, int seed = 2)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of3D(24, 32, 32),
            SemiAxis = (4, 7),
            CountPerImage = (3, 6),
            Seed = seed,
        });
        return Enumerable.Range(0, count).Select(i => AnisotropicSampling.SampleZ(simulator.Simulate(i), 2, 0.5)).ToList();
    }

    public static AdGanTrainerOptions Options(int iterations = 1, int decay = 1)
    {
        var o = AdGanPresets.Cpu3D();
        o.Iterations = iterations;
        o.DecayIterations = decay;
        o.CropDepth = 24;
        o.CropSize = 24;
        o.BatchSize = 1;
        o.BaseChannels = 2;
        o.StyleMlpWidth = 8;
        o.Threads = 1;
        o.Seed = 5;
        o.MetricsEvery = 1;
        o.Masks = new SyntheticMaskOptions { SemiAxis = (3, 6), CountPerPatch = (1, 3), Coding = SyntheticMaskCoding.ThreeLevel };
        o.Tiling = new Microsoft.ML.AdGan.Inference.TilingOptions { TileSize = 24, TileDepth = 16, Overlap = 0.25 };
        return o;
    }
}
