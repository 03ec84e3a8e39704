namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>How a student's map becomes instances (recorded with the student in the model).</summary>
public enum StudentDecoding
{
    /// <summary>The map's own peaks seed the objects, grown by a watershed of the negated map (<see cref="InstanceLabelMode.DistancePeaks"/>).</summary>
    Peaks = 0,

    /// <summary>The 3-level decoding: cores (map above 0.5) seed the objects, grown through the ring by distance (<see cref="InstanceLabelMode.ThreeLevel"/>).</summary>
    Cores = 1,

    /// <summary>AD-GAN's split decoding: the foreground split by a watershed of its own distance transform (<see cref="AdGanDecoding.Split"/>).</summary>
    Split = 2,
}
