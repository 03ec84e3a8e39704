using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>
/// Trains a small AD-GAN for real (about 200 iterations, 1-2 minutes on 2 cores) on easy simulated images and checks
/// that it learned to segment without labels. Measured when written: pixel Dice 0.84 after 200 iterations (threads 2),
/// against 0.2-0.4 for the untrained network, whose output is unrelated to the nuclei. The bar of 0.75 leaves room for
/// thread-count variation while a broken loss, gradient or ADT wiring stays far below it.
/// </summary>
[TestClass]
public sealed class LearningTests
{
    private static AdGanSegmentationModel? _model;
    private static AdGanSegmentationModel? _untrained;
    private static IReadOnlyList<SimulatedMicroscopyImage> _images = Array.Empty<SimulatedMicroscopyImage>();

    [ClassInitialize]
    public static void Train(TestContext context)
    {
        var simulator = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(128, 128),
            SemiAxis = (7, 11),
            CountPerImage = (8, 14),
            Seed = 3,
        });
        _images = Enumerable.Range(0, 4).Select(i => simulator.Simulate(i)).ToList();
        var options = new AdGanTrainerOptions
        {
            Iterations = 100,
            DecayIterations = 100,
            CropSize = 48,
            BaseChannels = 8,
            BatchSize = 4,
            Threads = 2,
            Seed = 10,
            Masks = new SyntheticMaskOptions { SemiAxis = (7, 11), CountPerPatch = (2, 5), Coding = SyntheticMaskCoding.Instance },
            Tiling = new TilingOptions { TileSize = 48 },
        };
        var source = new InMemoryImageSource(_images.Select(i => i.Image), options.Normalization, options.ImageScale);
        using var trainer = new AdGanTrainer(options, source);
        _untrained = trainer.CreateModel();
        _model = trainer.Train();
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        _model?.Dispose();
        _untrained?.Dispose();
    }

    private static double Dice(ImageBuffer<byte> mask, ImageBuffer<uint> truth)
    {
        long both = 0, predicted = 0, actual = 0;
        for (int i = 0; i < mask.Data.Length; i++)
        {
            bool p = mask.Data[i] != 0, t = truth.Data[i] != 0;
            both += p && t ? 1 : 0;
            predicted += p ? 1 : 0;
            actual += t ? 1 : 0;
        }
        return 2.0 * both / Math.Max(1, predicted + actual);
    }

    private static double MeanDice(AdGanSegmentationModel model) =>
        _images.Average(i => Dice(model.Foreground(model.Decode(i.Image)), i.Labels));

    [TestMethod]
    public void UnsupervisedTrainingReachesTheStatedPixelDice()
    {
        double trained = MeanDice(_model!), untrained = MeanDice(_untrained!);
        Assert.IsGreaterThanOrEqualTo(0.75, trained, $"trained Dice {trained:F3} (untrained {untrained:F3})");
        Assert.IsGreaterThan(untrained + 0.2, trained, $"training must improve on the untrained network ({untrained:F3})");
    }

    /// <summary>
    /// Tiles are normalised with statistics of the whole image (pooled over the tiles in a first pass). Measured when
    /// written on this image of 6 x 6 tiles (tile 128, overlap 0.5, sides not multiples of 4): Dice 0.973 against
    /// whole-image inference, against 0.960 with per-tile statistics and 0.965 with a second statistics pass. The issue's
    /// target of 0.98 is NOT met yet (the rest is the tiles' borders inside the receptive field); the bar below guards the
    /// gain over per-tile statistics and the tiling itself.
    /// </summary>
    [TestMethod]
    public void TiledAndWholeImageMasksAgree()
    {
        var image = new MicroscopySimulator(new MicroscopySimulationOptions
        {
            Shape = ImageShape.Of2D(402, 411),
            SemiAxis = (7, 11),
            CountPerImage = (120, 160),
            Seed = 8,
        }).Simulate(0).Image;
        using var copy = AdGanModelSerializer.Read(new MemoryStream(AdGanModelSerializer.ToBytes(_model!)), "copy");
        using var whole = copy.WithSettings(copy.Settings with { Tiling = new TilingOptions { TileSize = 512 } });
        var tiling = new TilingOptions { TileSize = 128, Overlap = 0.5, Statistics = TileStatistics.Image };
        using var tiled = copy.WithSettings(copy.Settings with { Tiling = tiling });
        using var perTile = copy.WithSettings(copy.Settings with { Tiling = tiling with { Statistics = TileStatistics.Tile } });
        using var refined = copy.WithSettings(copy.Settings with { Tiling = tiling with { StatisticsPasses = 2 } });
        Assert.IsGreaterThanOrEqualTo(3, TiledInference.TileStarts(402, 128, 64).Length, "at least 3 x 3 tiles");
        var reference = whole.Foreground(whole.Decode(image));
        double dice = Dice(tiled.Foreground(tiled.Decode(image)), reference);
        double perTileDice = Dice(perTile.Foreground(perTile.Decode(image)), reference);
        double refinedDice = Dice(refined.Foreground(refined.Decode(image)), reference);
        string figures = $"tiled vs whole-image Dice {dice:F4} (per-tile statistics {perTileDice:F4}, two statistics passes {refinedDice:F4})";
        Console.WriteLine(figures);
        Assert.IsGreaterThanOrEqualTo(0.97, dice, figures);
        Assert.IsGreaterThan(perTileDice, dice, figures);
    }

    private static double Dice(ImageBuffer<byte> a, ImageBuffer<byte> b)
    {
        long both = 0, sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            both += a.Data[i] != 0 && b.Data[i] != 0 ? 1 : 0;
            sum += (a.Data[i] != 0 ? 1 : 0) + (b.Data[i] != 0 ? 1 : 0);
        }
        return 2.0 * both / sum;
    }
}
