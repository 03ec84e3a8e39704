using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Estimators;
using Microsoft.ML.AdGan.Tools.Demo;

namespace AdGan.Samples.Pipeline;

/// <summary>Sizes of the pipeline sample; the defaults train for a few minutes on a CPU, a test shrinks them.</summary>
public sealed class SampleSettings
{
    /// <summary>Folder for the simulated images, labels and model.zip; null: a temporary folder, deleted afterwards.</summary>
    public string? Folder { get; set; }

    /// <summary>Number of simulated images AD-GAN trains on (without their labels).</summary>
    public int ImageCount { get; set; } = 8;

    /// <summary>Further simulated images held back and scored; 0 scores the training images themselves. Default 0.</summary>
    public int HeldBackImages { get; set; }

    /// <summary>Side of the square simulated images.</summary>
    public int ImageSize { get; set; } = 128;

    /// <summary>Semi-major axis range of the simulated nuclei in pixels. Default (4, 8).</summary>
    public (int Min, int Max) SemiAxis { get; set; } = (4, 8);

    /// <summary>Nuclei per simulated image; null: 3 to one per 400 pixels.</summary>
    public (int Min, int Max)? CountPerImage { get; set; }

    /// <summary>Training iterations at the full learning rate.</summary>
    public int Iterations { get; set; } = 300;

    /// <summary>Training iterations with a decaying learning rate.</summary>
    public int DecayIterations { get; set; } = 100;

    /// <summary>Base channel count (ngf) of the networks.</summary>
    public int BaseChannels { get; set; } = 16;

    /// <summary>Side of the training crops.</summary>
    public int CropSize { get; set; } = 64;

    /// <summary>Crops per training step.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Seed of the simulation and of training.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Torch threads during training; null keeps the process setting.</summary>
    public int? Threads { get; set; }

    /// <summary>When set, the estimator trains exactly as these options say (the sizes above are then ignored for training).</summary>
    public AdGanSegmentationEstimator.Options? Training { get; set; }

    /// <summary>
    /// The data and training of <c>adgan demo</c> (<see cref="DemoSettings"/>'s defaults with a fixed schedule instead of its
    /// time budget): 12 simulated 256 x 256 images to train on and 4 held back to score, the demo's trainer options and seed,
    /// and <paramref name="iterations"/> (default 500, about what the demo's 4 minutes plan on 2 idle cores) as
    /// <c>adgan demo --iterations</c> gives them.
    /// </summary>
    public static SampleSettings LikeDemo(int? threads = null, int? iterations = null)
    {
        var demo = new DemoSettings();
        demo.UseIterations(iterations ?? 500);
        demo.Training.Threads = threads;
        return LikeDemo(demo);
    }

    /// <summary>The data and training of a demo with <paramref name="demo"/>'s settings (its time budget included, if any).</summary>
    public static SampleSettings LikeDemo(DemoSettings demo)
    {
        ArgumentNullException.ThrowIfNull(demo);
        demo.Validate();
        return new SampleSettings
        {
            ImageCount = demo.TrainImages,
            HeldBackImages = demo.TestImages,
            ImageSize = demo.ImageSize,
            SemiAxis = demo.SemiAxis,
            CountPerImage = demo.CountPerImage,
            Seed = demo.Seed,
            Threads = demo.Training.Threads,
            Training = AdGanSegmentationEstimator.Options.From(demo.TrainerOptions()),
        };
    }
}
