namespace Microsoft.ML.AdGan.Training;

/// <summary>Settings of one AD-GAN training iteration and its optimisers; defaults are the reference's.</summary>
public sealed class AdGanStepOptions
{
    /// <summary>Initial Adam learning rate of both optimisers. Default 2e-4.</summary>
    public double LearningRate { get; set; } = 2e-4;

    /// <summary>Adam beta1. Default 0.5.</summary>
    public double Beta1 { get; set; } = 0.5;

    /// <summary>Adam beta2. Default 0.99.</summary>
    public double Beta2 { get; set; } = 0.99;

    /// <summary>Adam weight decay (L2 added to the gradient, as torch.optim.Adam). Default 1e-4.</summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>Aligned disentangling training: the decoder learns from the reconstruction loss only. Default true.</summary>
    public bool AlignedDisentangling { get; set; } = true;

    /// <summary>Images kept per history pool (one pool per translation direction); 0 disables the pools. Default 50.</summary>
    public int PoolSize { get; set; } = 50;

    /// <summary>Weights of the generator loss terms.</summary>
    public AdGanLossWeights LossWeights { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!double.IsFinite(LearningRate) || LearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be finite and >= 0.");
        if (!(Beta1 >= 0 && Beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        if (!(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be finite and >= 0.");
        if (PoolSize < 0)
            throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "PoolSize must be >= 0.");
        if (LossWeights is null)
            throw new ArgumentOutOfRangeException(nameof(LossWeights), "LossWeights must not be null.");
        LossWeights.Validate();
    }

    /// <summary>A deep copy of these options.</summary>
    public AdGanStepOptions Clone()
    {
        var copy = (AdGanStepOptions)MemberwiseClone();
        copy.LossWeights = LossWeights.Clone();
        return copy;
    }
}
