using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>Tiny, fast training configurations and data shared by the training tests.</summary>
internal static class TinyTraining
{
    public static T Options<T>(int iterations = 3, int decay = 3) where T : AdGanTrainerOptions, new() => new()
    {
        Iterations = iterations,
        DecayIterations = decay,
        CropSize = 24,
        BatchSize = 2,
        BaseChannels = 2,
        StyleMlpWidth = 8,
        Threads = 1,
        Seed = 5,
        MetricsEvery = 1,
        Masks = new SyntheticMaskOptions { SemiAxis = (3, 6), CountPerPatch = (1, 3), Coding = SyntheticMaskCoding.ThreeLevel },
        Tiling = new Microsoft.ML.AdGan.Inference.TilingOptions { TileSize = 32 },
    };

    public static IReadOnlyList<SimulatedMicroscopyImage> Images(int count = 2, int size = 40, int seed = 2)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(size, size),
            SemiAxis = (3, 6),
            CountPerImage = (2, 5),
            Seed = seed,
        });
        return Enumerable.Range(0, count).Select(i => simulator.Simulate(i)).ToList();
    }

    public static ITrainingImageSource Source(AdGanTrainerOptions options, int count = 2) =>
        new InMemoryImageSource(Images(count).Select(i => i.Image), options.Normalization, options.ImageScale);
}
