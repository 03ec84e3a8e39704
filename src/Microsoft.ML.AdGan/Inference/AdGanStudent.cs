using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A student network trained on AD-GAN's own translations, carried by an <see cref="AdGanSegmentationModel"/>: it maps the
/// same normalised image at the same working scale as the generator to a decoded map of its own coding
/// (<see cref="StudentTarget"/>), at a fraction of the generator's cost. <see cref="NucleusSegmenter"/> runs it when the
/// model's <see cref="AdGanInferenceSettings.Network"/> is <see cref="SegmentationNetwork.Student"/>. Immutable; concurrent
/// calls need no locks.
/// </summary>
public sealed class AdGanStudent : IDisposable
{
    /// <summary>Wraps a trained student network (the student takes ownership and puts it in evaluation mode).</summary>
    public AdGanStudent(StudentNetwork network, AdGanStudentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (network.Options != settings.Network)
            throw new ArgumentException($"The network is {network.Options} but the settings say {settings.Network}.", nameof(settings));
        Network = network;
        Settings = settings;
        Network.eval();
    }

    /// <summary>The student network.</summary>
    public StudentNetwork Network { get; }

    /// <summary>Its shape, coding and labelling.</summary>
    public AdGanStudentSettings Settings { get; }

    /// <summary>Decoded maps (B, 1, H, W) in [-1, 1] of normalised images (B, 1, H, W) at the working scale (no gradients recorded).</summary>
    public Tensor Segment(Tensor x)
    {
        using var noGrad = no_grad();
        return Network.Segment(x);
    }

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
