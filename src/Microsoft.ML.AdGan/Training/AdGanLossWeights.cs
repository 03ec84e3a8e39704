namespace Microsoft.ML.AdGan.Training;

/// <summary>Weights of the generator's loss terms; defaults are the reference's (lambda_rec 20, lambda_cyc 20, lambda_ctr 1).</summary>
public sealed class AdGanLossWeights
{
    /// <summary>Weight of the same-domain reconstruction L1 (|x_a - x_a_rec| + |x_b - x_b_rec|). Default 20.</summary>
    public double Reconstruction { get; set; } = 20;

    /// <summary>Weight of the cycle L1 (|x_a - x_aba| + |x_b - x_bab|). Default 20.</summary>
    public double Cycle { get; set; } = 20;

    /// <summary>Weight of the content-alignment L1 (|c_a - c_a'| + |c_b - c_b'|). Default 1.</summary>
    public double Content { get; set; } = 1;

    /// <summary>Weight of the generator's LSGAN term (the reference has none: 1). Default 1.</summary>
    public double Adversarial { get; set; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a weight is negative or not finite.</summary>
    public void Validate()
    {
        Check(Reconstruction, nameof(Reconstruction));
        Check(Cycle, nameof(Cycle));
        Check(Content, nameof(Content));
        Check(Adversarial, nameof(Adversarial));
    }

    /// <summary>A copy of these weights.</summary>
    public AdGanLossWeights Clone() => (AdGanLossWeights)MemberwiseClone();

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"Loss weight {name} must be finite and >= 0.");
    }
}
