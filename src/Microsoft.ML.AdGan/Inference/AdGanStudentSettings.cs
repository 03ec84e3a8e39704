using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>What a student network needs besides its weights: its shape and output coding, and how its maps are labelled. Stored in the model file.</summary>
public sealed record AdGanStudentSettings
{
    /// <summary>Shape and output coding of the student network.</summary>
    public StudentNetworkOptions Network { get; init; } = new();

    /// <summary>How the student's maps become instances (labelled at the model's working scale, as the generator's maps are). Default <see cref="StudentDecoding.Peaks"/>.</summary>
    public StudentDecoding Decoding { get; init; } = StudentDecoding.Peaks;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        if (!Enum.IsDefined(Decoding))
            throw new ArgumentOutOfRangeException(nameof(Decoding), Decoding, "Unknown StudentDecoding.");
    }
}
