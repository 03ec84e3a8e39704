using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// How the student network is trained after AD-GAN (<see cref="AdGanTrainerOptions.Student"/>): fresh synthetic masks, drawn with the AD-GAN
/// run's priors but a sequence of their own, are rendered into images by the trained mask-to-image translation
/// G(E(mask, mask domain), image domain), and the student learns to map each rendered image back to its mask's exact coding.
/// </summary>
public sealed class StudentTrainingOptions
{
    /// <summary>Optimiser steps. Default 1500 (constant learning rate for the first half, linear decay to zero over the second).</summary>
    public int Iterations { get; set; } = 1500;

    /// <summary>Rendered patches per step. Default 8.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>
    /// Synthetic patches rendered once before training (the crop size of the AD-GAN run); steps draw from them with random
    /// flips, quarter turns and brightness. Default 2048, so each patch is seen about 6 times in 1500 steps of 8.
    /// </summary>
    public int Patches { get; set; } = 2048;

    /// <summary>Patches rendered per generator call. Default 16.</summary>
    public int RenderBatchSize { get; set; } = 16;

    /// <summary>Adam learning rate (betas 0.9, 0.999). Default 0.001.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Each patch's brightness above the background is multiplied by a factor drawn from [1 - this, 1 + this]. Default 0.2.</summary>
    public double BrightnessJitter { get; set; } = 0.2;

    /// <summary>
    /// Share of each batch drawn from the training images themselves, labelled by AD-GAN's own decoding (pseudo-labels; random
    /// crops, flips and quarter turns), the rest from the rendered patches. Default 0: rendered patches only.
    /// </summary>
    public double PseudoLabelFraction { get; set; }

    /// <summary>Shape and output coding of the student network.</summary>
    public StudentNetworkOptions Network { get; set; } = new();

    /// <summary>How the trained student's maps are labelled (recorded in the model). Default <see cref="StudentDecoding.Peaks"/>.</summary>
    public StudentDecoding Decoding { get; set; } = StudentDecoding.Peaks;

    /// <summary>Seed of the student's weights, masks and draws; null: the AD-GAN run's seed. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>Steps between log lines. Default 100.</summary>
    public int LogEvery { get; set; } = 100;

    /// <summary>A copy of these options.</summary>
    public StudentTrainingOptions Clone() => (StudentTrainingOptions)MemberwiseClone();

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "The student's Iterations must be at least 1.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The student's BatchSize must be at least 1.");
        if (Patches < 1)
            throw new ArgumentOutOfRangeException(nameof(Patches), Patches, "The student's Patches must be at least 1.");
        if (RenderBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(RenderBatchSize), RenderBatchSize, "The student's RenderBatchSize must be at least 1.");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The student's LearningRate must be positive and finite.");
        if (!(BrightnessJitter >= 0 && BrightnessJitter < 1))
            throw new ArgumentOutOfRangeException(nameof(BrightnessJitter), BrightnessJitter, "The student's BrightnessJitter must lie in [0, 1).");
        if (!(PseudoLabelFraction >= 0 && PseudoLabelFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(PseudoLabelFraction), PseudoLabelFraction, "The student's PseudoLabelFraction must lie in [0, 1].");
        if (LogEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "The student's LogEvery must be at least 1.");
        if (!Enum.IsDefined(Decoding))
            throw new ArgumentOutOfRangeException(nameof(Decoding), Decoding, "Unknown StudentDecoding.");
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
    }
}
