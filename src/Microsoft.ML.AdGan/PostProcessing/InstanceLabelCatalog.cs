using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML;

/// <summary>Catalog extensions that add instance labelling and the classical baseline segmentation to <c>mlContext.Transforms</c>.</summary>
public static class InstanceLabelCatalog
{
    /// <summary>
    /// Labels the decoded maps of <paramref name="inputColumnName"/> (variable-size Single vector, row-major) into
    /// <paramref name="outputColumnName"/> (UInt32 vector, 0 = background). Shapes come from Int32 columns named, by
    /// default, input name + ".Height", ".Width" and optionally ".Depth" (present: 3D volumes).
    /// </summary>
    public static InstanceLabelEstimator LabelInstances(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, InstanceLabelOptions? options = null,
        string? heightColumnName = null, string? widthColumnName = null, string? depthColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // The transforms it composes are deterministic and need no seed: a private context is enough (ML.NET's catalogs keep theirs internal).
        return new InstanceLabelEstimator(new MLContext(), outputColumnName, inputColumnName, options ?? new InstanceLabelOptions(), heightColumnName, widthColumnName, depthColumnName);
    }

    /// <summary>
    /// Segments the intensity images of <paramref name="inputColumnName"/> (variable-size Single vector, row-major, any range)
    /// with the classical baseline (<see cref="ThresholdSegmentation"/>) into <paramref name="outputColumnName"/> (UInt32 vector,
    /// 0 = background) and its shape columns (output name + ".Height", ".Width", and ".Depth" for volumes). Input shapes come from
    /// Int32 columns named, by default, input name + ".Height", ".Width" and optionally ".Depth" (present: 3D volumes).
    /// </summary>
    public static ThresholdSegmentationEstimator SegmentNucleiWithThreshold(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, ThresholdSegmentationOptions? options = null,
        string? heightColumnName = null, string? widthColumnName = null, string? depthColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ThresholdSegmentationEstimator(new MLContext(), outputColumnName, inputColumnName, options ?? new ThresholdSegmentationOptions(), heightColumnName, widthColumnName, depthColumnName);
    }
}
