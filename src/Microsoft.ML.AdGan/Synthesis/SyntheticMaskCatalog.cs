using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;

using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML;

/// <summary>ML.NET entry points of the synthetic masks.</summary>
public static class SyntheticMaskCatalog
{
    /// <summary>
    /// A lazy data view of <paramref name="count"/> synthetic patches (columns of <see cref="SyntheticMaskRow"/>; Mask and
    /// Labels are fixed-size vectors whose dimensions are the patch shape). Row i is always patch i of the seed, for every cursor.
    /// </summary>
    public static IDataView LoadSyntheticMasks(this DataOperationsCatalog catalog, SyntheticMaskOptions options, int count)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of patches must not be negative.");
        var generator = new SyntheticMaskGenerator(options);
        var dims = Array.ConvertAll(options.PatchShape.SpatialSizes(), d => (int)d);
        var schema = SchemaDefinition.Create(typeof(SyntheticMaskRow));
        schema[SyntheticMaskRow.MaskColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, dims);
        schema[SyntheticMaskRow.LabelsColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.UInt32, dims);
        return catalog.LoadFromEnumerable(Rows(generator, count), schema);
    }

    /// <summary>Converts a patch to a data-view row.</summary>
    public static SyntheticMaskRow ToRow(this SyntheticMaskPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new SyntheticMaskRow
        {
            Index = patch.Index,
            Mask = patch.Mask.Data,
            Labels = patch.Labels.Data,
            TargetCount = patch.TargetCount,
            AcceptedCount = patch.Ellipses.Count,
            StoppedByRejections = patch.StoppedByRejections,
        };
    }

    /// <summary>Rebuilds the mask image of a row of the data view with the given patch shape.</summary>
    public static ImageBuffer<byte> MaskImage(this SyntheticMaskRow row, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ImageBuffer<byte>(row.Mask, shape);
    }

    private static IEnumerable<SyntheticMaskRow> Rows(SyntheticMaskGenerator generator, int count)
    {
        for (int i = 0; i < count; i++)
            yield return generator.Generate(i).ToRow();
    }
}
