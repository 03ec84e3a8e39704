namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>What the decoded map codes.</summary>
public enum InstanceLabelMode
{
    /// <summary>3-level map (AD-GAN-INS): background -1, ring about 0, core +1; cores seed the objects.</summary>
    ThreeLevel,

    /// <summary>Semantic map: background -1, nucleus +1; touching nuclei are split by a distance-transform watershed.</summary>
    Semantic,

    /// <summary>
    /// Distance map (the student's <see cref="Networks.StudentTarget.Distance"/> coding): background -1, inside a nucleus a value
    /// that peaks at its centre; the map's own peaks seed the objects, which grow by a watershed of the negated map.
    /// </summary>
    DistancePeaks,
}
