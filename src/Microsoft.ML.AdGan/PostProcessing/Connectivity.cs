namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Which neighbours touch a pixel or voxel (scipy's connectivity rank 1 or the full rank).</summary>
public enum Connectivity
{
    /// <summary>Neighbours sharing a face: 4 in 2D, 6 in 3D.</summary>
    Face = 1,

    /// <summary>Every neighbour of the surrounding block, corners included: 8 in 2D, 26 in 3D.</summary>
    Full = 2,
}
