namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>What the decoded map codes.</summary>
public enum InstanceLabelMode
{
    /// <summary>3-level map (AD-GAN-INS): background -1, ring about 0, core +1; cores seed the objects.</summary>
    ThreeLevel,

    /// <summary>Semantic map: background -1, nucleus +1; touching nuclei are split by a distance-transform watershed.</summary>
    Semantic,
}
