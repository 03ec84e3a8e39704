namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>The surface on which cores are grown through the ring in three-level mode.</summary>
public enum InstanceGrowth
{
    /// <summary>Euclidean distance to the nearest core: touching nuclei split half-way between their cores.</summary>
    CoreDistance,

    /// <summary>The negated map value: growth follows the decoder's own ridges (flat rings split by arrival order).</summary>
    MapValue,
}
