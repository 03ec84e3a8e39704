using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// One in-memory image with the columns <c>LoadMicroscopyImages("Image")</c> produces, for building an IDataView
/// from images that are not files (a service request, a simulation).
/// </summary>
public sealed class InMemoryImageRow
{
    /// <summary>Raw intensities, Z, Y, X row-major.</summary>
    [ColumnName("Image")]
    [VectorType]
    public float[] Image { get; set; } = Array.Empty<float>();

    /// <summary>Depth (1 for 2D images).</summary>
    [ColumnName("Image.Depth")]
    public int Depth { get; set; } = 1;

    /// <summary>Height.</summary>
    [ColumnName("Image.Height")]
    public int Height { get; set; }

    /// <summary>Width.</summary>
    [ColumnName("Image.Width")]
    public int Width { get; set; }

    /// <summary>A row holding <paramref name="image"/>.</summary>
    public static InMemoryImageRow From(ImageBuffer<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new InMemoryImageRow { Image = image.Data, Depth = image.Shape.Depth, Height = image.Shape.Height, Width = image.Shape.Width };
    }
}
