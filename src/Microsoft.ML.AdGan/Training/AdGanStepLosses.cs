namespace Microsoft.ML.AdGan.Training;

/// <summary>The losses of one training iteration, weighted as they entered the backward passes.</summary>
/// <param name="Reconstruction">Weighted same-domain reconstruction loss (reference: loss_g_rec).</param>
/// <param name="Cycle">Weighted cycle loss (loss_g_cyc).</param>
/// <param name="Content">Weighted content-alignment loss (loss_g_ctr).</param>
/// <param name="Adversarial">Weighted generator LSGAN loss (loss_g_adv).</param>
/// <param name="Discriminator">Discriminator LSGAN loss (loss_dis).</param>
public readonly record struct AdGanStepLosses(double Reconstruction, double Cycle, double Content, double Adversarial, double Discriminator)
{
    /// <summary>What the second backward of aligned disentangling training sees: cycle + content + adversarial (loss_g_rest).</summary>
    public double GeneratorRest => Cycle + Content + Adversarial;

    /// <summary>The whole generator objective (loss_g_total).</summary>
    public double GeneratorTotal => Reconstruction + GeneratorRest;

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"rec {Reconstruction:F4} cyc {Cycle:F4} ctr {Content:F4} adv {Adversarial:F4} dis {Discriminator:F4}");
}
