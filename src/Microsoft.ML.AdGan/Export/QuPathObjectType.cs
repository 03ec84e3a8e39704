namespace Microsoft.ML.AdGan.Export;

/// <summary>The kind of QuPath object each nucleus becomes when QuPath imports the GeoJSON.</summary>
public enum QuPathObjectType
{
    /// <summary>Detection objects (QuPath's type for many small objects such as nuclei; locked, light to display).</summary>
    Detection,

    /// <summary>Annotation objects (editable by hand; slow in QuPath beyond a few thousand).</summary>
    Annotation,
}
