namespace Microsoft.ML.AdGan.Training;

/// <summary>Random augmentation of image crops (masks are never augmented: they are new every iteration).</summary>
public sealed class AugmentationOptions
{
    /// <summary>Maximum rotation in degrees, drawn uniformly in [-value, value] (in the XY plane for volumes). Default 30.</summary>
    public double MaxRotationDegrees { get; set; } = 30;

    /// <summary>Flip each crop horizontally and vertically with probability 0.5 each. Default true.</summary>
    public bool Flips { get; set; } = true;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees <= 180))
            throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "MaxRotationDegrees must lie in [0, 180].");
    }
}
