namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// Size and position of one labelled object from its second moments: the semi-axes are those of the ellipse with the same
/// covariance (a = 2 sqrt(largest eigenvalue), b = 2 sqrt(smallest)), so a filled ellipse measures its own semi-axes.
/// </summary>
/// <param name="Label">The object's label.</param>
/// <param name="Area">Number of pixels.</param>
/// <param name="CentroidY">Mean row of its pixels.</param>
/// <param name="CentroidX">Mean column of its pixels.</param>
/// <param name="SemiMajorAxis">Major semi-axis a in pixels, 2 sqrt(largest eigenvalue of the pixel coordinate covariance).</param>
/// <param name="SemiMinorAxis">Minor semi-axis b in pixels, 2 sqrt(smallest eigenvalue).</param>
/// <param name="TouchesBorder">True when one of its pixels lies on the image border.</param>
internal readonly record struct ObjectShape(uint Label, int Area, double CentroidY, double CentroidX, double SemiMajorAxis, double SemiMinorAxis, bool TouchesBorder)
{
    /// <summary>Area of the moment-equivalent ellipse over the pixel count: about 1 for a convex, ellipse-like object, lower for clumps.</summary>
    public double EllipseFit => Area == 0 ? 0 : Math.PI * Math.Max(SemiMajorAxis, 0.5) * Math.Max(SemiMinorAxis, 0.5) / Area;
}
