namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Physical size of one pixel or voxel, in micrometres (Z is 0 or ignored for 2D images).</summary>
public readonly record struct VoxelSize(double Z, double Y, double X)
{
    /// <summary>True when every spatial axis has a positive, finite size.</summary>
    public bool IsValid => Y > 0 && X > 0 && double.IsFinite(Y) && double.IsFinite(X);
}
