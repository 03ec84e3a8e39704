namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>How an AD-GAN decoded map becomes instances (the model's <c>AdGanInferenceSettings.Decoding</c>).</summary>
public enum AdGanDecoding
{
    /// <summary>Foreground (ring and core) split by a distance-transform watershed at the working scale; the default.</summary>
    Split,

    /// <summary>The 3-level reference decoding: cores are the markers, grown through the ring (semantic models: split).</summary>
    Cores,
}
