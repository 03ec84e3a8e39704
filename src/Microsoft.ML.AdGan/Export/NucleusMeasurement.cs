namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Measurements of one nucleus, following scikit-image's regionprops: positions in pixel indices (the centre of pixel (y, x)
/// is at (y, x)), boxes half-open ([min, max)), 2D images with Z = 0 and MaxZ = 1.
/// </summary>
public sealed class NucleusMeasurement
{
    internal NucleusMeasurement(uint label, long size, double? physicalSize, (double Z, double Y, double X) centroid,
        (int Z, int Y, int X) min, (int Z, int Y, int X) max, double equivalentDiameter, double? physicalEquivalentDiameter,
        double? eccentricity, double solidity, double? meanIntensity, double? integratedIntensity, double? maxIntensity, bool touchesBorder)
    {
        Label = label;
        Size = size;
        PhysicalSize = physicalSize;
        CentroidZ = centroid.Z;
        CentroidY = centroid.Y;
        CentroidX = centroid.X;
        MinZ = min.Z;
        MinY = min.Y;
        MinX = min.X;
        MaxZ = max.Z;
        MaxY = max.Y;
        MaxX = max.X;
        EquivalentDiameter = equivalentDiameter;
        PhysicalEquivalentDiameter = physicalEquivalentDiameter;
        Eccentricity = eccentricity;
        Solidity = solidity;
        MeanIntensity = meanIntensity;
        IntegratedIntensity = integratedIntensity;
        MaxIntensity = maxIntensity;
        TouchesBorder = touchesBorder;
    }

    /// <summary>The label.</summary>
    public uint Label { get; }

    /// <summary>Area in pixels (2D) or volume in voxels (3D).</summary>
    public long Size { get; }

    /// <summary>Area in µm² or volume in µm³; null when the pixel (or, for a volume, the slice) size is unknown.</summary>
    public double? PhysicalSize { get; }

    /// <summary>Mean slice index (0 for a 2D image).</summary>
    public double CentroidZ { get; }

    /// <summary>Mean row index.</summary>
    public double CentroidY { get; }

    /// <summary>Mean column index.</summary>
    public double CentroidX { get; }

    /// <summary>First slice of the bounding box.</summary>
    public int MinZ { get; }

    /// <summary>First row of the bounding box.</summary>
    public int MinY { get; }

    /// <summary>First column of the bounding box.</summary>
    public int MinX { get; }

    /// <summary>One past the last slice of the bounding box.</summary>
    public int MaxZ { get; }

    /// <summary>One past the last row of the bounding box.</summary>
    public int MaxY { get; }

    /// <summary>One past the last column of the bounding box.</summary>
    public int MaxX { get; }

    /// <summary>Diameter of the disc (2D) or ball (3D) of the same size, in pixels: sqrt(4 A / pi) or cbrt(6 V / pi).</summary>
    public double EquivalentDiameter { get; }

    /// <summary>The same from the physical size, in µm; null when that is unknown.</summary>
    public double? PhysicalEquivalentDiameter { get; }

    /// <summary>Eccentricity of the ellipse with the same second moments, sqrt(1 - l2 / l1) (0 for a disc); null for volumes.</summary>
    public double? Eccentricity { get; }

    /// <summary>Size over the size of the convex hull image (scikit-image's convex_hull_image of the object).</summary>
    public double Solidity { get; }

    /// <summary>Mean intensity of the input's selected channel, in the file's raw units; null without an image.</summary>
    public double? MeanIntensity { get; }

    /// <summary>Sum of the intensities over the nucleus (mean times size), raw units; null without an image.</summary>
    public double? IntegratedIntensity { get; }

    /// <summary>Largest intensity in the nucleus, raw units; null without an image.</summary>
    public double? MaxIntensity { get; }

    /// <summary>True when a pixel lies on the image border (for a volume: on any face, first and last slice included).</summary>
    public bool TouchesBorder { get; }
}
