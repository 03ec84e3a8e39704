namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// What the student's one-channel output map in [-1, 1] codes. Both keep AD-GAN's decoded-map conventions (background -1,
/// nucleus above -0.5, core above 0.5), so the map can be labelled like a decoded map.
/// </summary>
public enum StudentTarget
{
    /// <summary>The 3-level coding of the synthetic masks: background -1, ring 0, core 1.</summary>
    ThreeLevel = 0,

    /// <summary>
    /// Background -1; inside a nucleus its normalised distance to the nucleus' own edge (distance over the nucleus' largest
    /// distance, in (0, 1]), so touching nuclei meet in a valley and each has one peak of 1 (the 3-level core is the part above 0.5).
    /// </summary>
    Distance = 1,
}
