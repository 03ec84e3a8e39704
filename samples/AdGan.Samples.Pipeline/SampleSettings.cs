namespace AdGan.Samples.Pipeline;

/// <summary>Sizes of the pipeline sample; the defaults train for a few minutes on a CPU, a test shrinks them.</summary>
public sealed class SampleSettings
{
    /// <summary>Folder for the simulated images, labels and model.zip; null: a temporary folder, deleted afterwards.</summary>
    public string? Folder { get; set; }

    /// <summary>Number of simulated images.</summary>
    public int ImageCount { get; set; } = 8;

    /// <summary>Side of the square simulated images.</summary>
    public int ImageSize { get; set; } = 128;

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
}
