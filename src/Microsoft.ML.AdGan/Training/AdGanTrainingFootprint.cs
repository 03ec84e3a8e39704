namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Estimated sizes of a training run, computed from the options alone (nothing is allocated), so that settings that cannot fit
/// are refused before the first iteration: the model file, a checkpoint, and the peak process memory on the CPU.
/// </summary>
/// <param name="GeneratorParameters">Weights of the encoder and decoder (what the model keeps).</param>
/// <param name="DiscriminatorParameters">Weights of the discriminator.</param>
/// <param name="ModelBytes">Size of the model file.</param>
/// <param name="CheckpointBytes">Size of one checkpoint (all weights, both optimisers' moments, the generator average, both history pools).</param>
/// <param name="ActivationBytes">Tensors one iteration keeps for its backward passes.</param>
/// <param name="PeakMemoryBytes">Peak process memory: the runtime, the weights with their gradients and optimiser state, the pools and the activations.</param>
internal sealed record AdGanTrainingFootprint(double GeneratorParameters, double DiscriminatorParameters, double ModelBytes, double CheckpointBytes,
    double ActivationBytes, double PeakMemoryBytes)
{
    /// <summary>Memory of the process before training: the runtime, libtorch and the mask producer (measured about 0.24 GB).</summary>
    private const double RuntimeBytes = 256e6;

    /// <summary>Headroom of the model zip over its weights (ML.NET's entries and the settings).</summary>
    private const double ModelOverheadBytes = 1e6;

    /// <summary>
    /// Activations one iteration keeps, per crop voxel, base channel and sample, as multiples of one encoder-decoder pass;
    /// calibrated on the peak memory of 2D runs of crop 24-128, ngf 2-32, batch 1-4 on a CPU (the estimate within about 10%).
    /// </summary>
    private const double PassesPerIteration = 8.5;

    /// <summary>The footprint of training with <paramref name="options"/> (sizes in bytes; doubles, so absurd settings do not overflow).</summary>
    public static AdGanTrainingFootprint Estimate(AdGanTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int d = options.Dimensions;
        double ngf = options.BaseChannels, width = options.StyleMlpWidth;
        double k3 = Math.Pow(3, d), k4 = Math.Pow(4, d), k7 = Math.Pow(7, d);
        double voxels = Math.Pow(options.CropSize, 2) * (d == 3 ? options.CropDepth : 1);

        // Encoder and decoder: two 7-wide convolutions at ngf, 138 ngf^2 3-wide weights each (down/up-sampling and 8 residual
        // convolutions at 4 ngf), and style MLPs producing the scale and shift of 39 ngf (encoder) and 35 ngf (decoder) channels.
        double generator = 276 * ngf * ngf * k3 + 2 * ngf * k7 + 2 * (2 * width + width * width) + width * 148 * ngf;
        // PatchGAN: convolutions 1 -> ndf -> 2 ndf -> 4 ndf -> 8 ndf -> 2, 4 wide.
        double discriminator = 42 * ngf * ngf * k4 + 17 * ngf * k4;
        double weights = generator + discriminator;
        double average = options.GeneratorAverageDecay > 0 ? generator : 0;
        double pools = 2.0 * options.Step.PoolSize * voxels;

        // Activation values per voxel and ngf of one encoder-decoder pass: 7 at full resolution, 12 / 2^d at half,
        // 268 / 4^d at quarter resolution (the 16 residual convolutions at 4 ngf); the discriminator adds about 2.
        double perPass = 7 + 12 / Math.Pow(2, d) + 268 / Math.Pow(4, d) + 2;
        double activations = 4 * PassesPerIteration * perPass * voxels * ngf * options.BatchSize;

        double model = 4 * generator + ModelOverheadBytes;
        double checkpoint = 4 * (3 * weights + average + pools) + ModelOverheadBytes;
        double peak = RuntimeBytes + 4 * (4 * weights + average + pools) + activations;
        return new AdGanTrainingFootprint(generator, discriminator, model, checkpoint, activations, peak);
    }
}
