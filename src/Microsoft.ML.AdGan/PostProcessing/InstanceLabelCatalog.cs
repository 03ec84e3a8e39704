using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML;

/// <summary>Catalog extension that adds instance labelling to <c>mlContext.Transforms</c>.</summary>
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
}
