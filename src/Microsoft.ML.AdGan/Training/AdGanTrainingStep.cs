using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// One AD-GAN training iteration as the authors' Trainer (gan_forward, gen_update, dis_update): ten generator passes,
/// the generator step (aligned disentangling by default) and the discriminator step on detached reconstructions
/// ("real") and pooled translations ("fake"). Owns the two Adam optimisers and the two history pools.
/// Computes in the networks' dtype (float32, or float64 to check the arithmetic). Garbage collections may run at any
/// point of a step: every native Scalar it passes outlives the call. Not thread-safe: one trainer thread drives it.
/// </summary>
internal sealed class AdGanTrainingStep : IDisposable
{
    /// <summary>
    /// Prepares training of <paramref name="networks"/> (already on their device): builds the generator optimiser
    /// (encoder + decoder) and the discriminator optimiser, and the pools, which draw from <paramref name="poolRandom"/>
    /// (a seeded Random makes training reproducible; default seed 10).
    /// </summary>
    public AdGanTrainingStep(AdGanNetworks networks, AdGanStepOptions? options = null, Random? poolRandom = null)
    {
        Networks = networks ?? throw new ArgumentNullException(nameof(networks));
        Options = (options ?? new AdGanStepOptions()).Clone();
        Options.Validate();
        var o = Options;
        GeneratorOptimizer = new AdamOptimizer(networks.GeneratorParameters(), o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay);
        DiscriminatorOptimizer = new AdamOptimizer(networks.Discriminator.parameters(), o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay);
        var random = poolRandom ?? new Random(10);
        MaskTranslationPool = new ImageHistoryPool(o.PoolSize, random);
        ImageTranslationPool = new ImageHistoryPool(o.PoolSize, random);
        LearningRate = o.LearningRate;
    }

    /// <summary>The networks being trained.</summary>
    public AdGanNetworks Networks { get; }

    /// <summary>The options (a copy taken at construction).</summary>
    public AdGanStepOptions Options { get; }

    /// <summary>Adam over encoder + decoder parameters.</summary>
    public AdamOptimizer GeneratorOptimizer { get; }

    /// <summary>Adam over the discriminator parameters.</summary>
    public AdamOptimizer DiscriminatorOptimizer { get; }

    /// <summary>History of image-to-mask translations x_ab shown to the discriminator as fakes of domain 1.</summary>
    internal ImageHistoryPool MaskTranslationPool { get; }

    /// <summary>History of mask-to-image translations x_ba shown to the discriminator as fakes of domain 0.</summary>
    internal ImageHistoryPool ImageTranslationPool { get; }

    /// <summary>The learning rate both optimisers use now.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Sets the learning rate of both optimisers (the trainer applies the linear decay schedule through this).</summary>
    public void SetLearningRate(double learningRate)
    {
        if (!double.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and >= 0.");
        GeneratorOptimizer.LearningRate = learningRate;
        DiscriminatorOptimizer.LearningRate = learningRate;
        LearningRate = learningRate;
    }

    /// <summary>
    /// Runs one iteration on image crops <paramref name="xA"/> (domain 0) and masks <paramref name="xB"/> (domain 1),
    /// both (B, C, spatial...) in [-1, 1] on the networks' device; updates generator then discriminator. Returns the losses.
    /// </summary>
    public AdGanStepLosses Step(Tensor xA, Tensor xB)
    {
        ArgumentNullException.ThrowIfNull(xA);
        ArgumentNullException.ThrowIfNull(xB);
        if (xA.dim() != Networks.Options.Dimensions + 2 || xB.dim() != xA.dim())
            throw new ArgumentException($"Expected two batches of rank {Networks.Options.Dimensions + 2}; got ({string.Join(", ", xA.shape)}) and ({string.Join(", ", xB.shape)}).");
        using var scope = NewDisposeScope();
        var enc = Networks.Encoder;
        var dec = Networks.Decoder;
        var dis = Networks.Discriminator;
        var w = Options.LossWeights;
        using var reconstructionWeight = w.Reconstruction.ToScalar();
        using var cycleWeight = w.Cycle.ToScalar();
        using var contentWeight = w.Content.ToScalar();
        using var adversarialWeight = w.Adversarial.ToScalar();
        var labelA = zeros(xA.shape[0], ScalarType.Int64, xA.device);
        var labelB = ones(xB.shape[0], ScalarType.Int64, xB.device);

        // gan_forward: the ten generator passes. Each style is computed once per network and domain and broadcast
        // over the batch (the reference feeds a one-hot row per sample: same values, same summed gradients).
        var encA = enc.Style(AdGanDomain.Image);
        var encB = enc.Style(AdGanDomain.Mask);
        var decA = dec.Style(AdGanDomain.Image);
        var decB = dec.Style(AdGanDomain.Mask);
        var cA = enc.call(xA, encA);
        var cB = enc.call(xB, encB);
        var xARec = dec.call(cA, decA).tanh();
        var xBRec = dec.call(cB, decB).tanh();
        var xAB = dec.call(cA, decB).tanh();
        var xBA = dec.call(cB, decA).tanh();
        var cARec = enc.call(xAB, encB);
        var cBRec = enc.call(xBA, encA);
        var xABA = dec.call(cARec, decA).tanh();
        var xBAB = dec.call(cBRec, decB).tanh();

        // gen_update
        SetRequiresGrad(dis, false);
        GeneratorOptimizer.ZeroGrad();
        var lossRec = Sum(F.l1_loss(xA, xARec), F.l1_loss(xB, xBRec)).mul(reconstructionWeight);
        var lossCyc = Sum(F.l1_loss(xA, xABA), F.l1_loss(xB, xBAB)).mul(cycleWeight);
        var lossCtr = Sum(F.l1_loss(cA, cARec), F.l1_loss(cB, cBRec)).mul(contentWeight);
        var advRec = LsGan(dis.call(cat(new[] { xARec, xBRec }, 0), cat(new[] { labelA, labelB }, 0)), Scalars.Zero);
        var advTrans = LsGan(dis.call(cat(new[] { xAB, xBA }, 0), cat(new[] { labelB, labelA }, 0)), Scalars.One);
        var lossAdv = Sum(advRec, advTrans).mul(adversarialWeight);
        if (Options.AlignedDisentangling)
        {
            lossRec.backward(retain_graph: true);
            SetRequiresGrad(dec, false);
            try
            {
                Sum(Sum(lossCyc, lossCtr), lossAdv).backward();
            }
            finally
            {
                SetRequiresGrad(dec, true);
            }
        }
        else
        {
            Sum(Sum(Sum(lossRec, lossCyc), lossCtr), lossAdv).backward();
        }
        GeneratorOptimizer.Step();

        // dis_update: reconstructions are "real", pooled translations "fake"; inputs detached.
        SetRequiresGrad(dis, true);
        DiscriminatorOptimizer.ZeroGrad();
        var real = cat(new[] { xARec.detach(), xBRec.detach() }, 0);
        var fake = cat(new[] { MaskTranslationPool.Query(xAB), ImageTranslationPool.Query(xBA) }, 0);
        var lossDis = Sum(LsGan(dis.call(real, cat(new[] { labelA, labelB }, 0)), Scalars.One),
                          LsGan(dis.call(fake, cat(new[] { labelB, labelA }, 0)), Scalars.Zero));
        lossDis.backward();
        DiscriminatorOptimizer.Step();

        return new AdGanStepLosses(Value(lossRec), Value(lossCyc), Value(lossCtr), Value(lossAdv), Value(lossDis));
    }

    /// <summary>Disposes the optimisers (their state) and the pools; the networks stay with their owner.</summary>
    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        MaskTranslationPool.Dispose();
        ImageTranslationPool.Dispose();
    }

    private static Tensor LsGan(Tensor prediction, Scalar target) => F.mse_loss(prediction, full_like(prediction, target));

    private static Tensor Sum(Tensor a, Tensor b) => a.add(b, Scalars.One);

    private static double Value(Tensor loss) => loss.to_type(ScalarType.Float64).item<double>();

    private static void SetRequiresGrad(nn.Module module, bool requiresGrad)
    {
        foreach (var p in module.parameters()) p.requires_grad = requiresGrad;
    }
}
