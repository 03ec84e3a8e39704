using System.Text.Json.Serialization;

namespace Microsoft.ML.AdGan.Synthesis;

/// <summary>How a synthetic mask encodes its ellipses (as the AD-GAN paper draws them).</summary>
public enum SyntheticMaskCoding
{
    /// <summary>Background 0, nucleus 255 (AD-GAN).</summary>
    Semantic = 0,

    /// <summary>
    /// 3-level coding (AD-GAN-INS): background 0, ring 127 (normalised distance to the edge below 0.5), core 255; the
    /// decoded maps of such a model are labelled in <see cref="PostProcessing.InstanceLabelMode.ThreeLevel"/> mode. Model
    /// files name it "Instance", as earlier versions did.
    /// </summary>
    [JsonStringEnumMemberName("Instance")]
    ThreeLevel = 1,
}
