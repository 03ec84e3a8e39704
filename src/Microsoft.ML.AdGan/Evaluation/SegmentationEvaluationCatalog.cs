using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;

using Microsoft.ML.AdGan.Evaluation;

namespace Microsoft.ML;

/// <summary>Extension that scores segmentations held in an <see cref="IDataView"/>.</summary>
public static class SegmentationEvaluationCatalog
{
    /// <summary>
    /// Scores the predicted label maps of <paramref name="predictedColumnName"/> against <paramref name="truthColumnName"/>
    /// (vectors of UInt32, UInt16, Byte, Int32 or whole-valued Single, one image per row, equal lengths). Optional Int32
    /// columns named truth name + ".Height", ".Width", ".Depth" (as LoadMicroscopyImages writes them) give the shape (needed only for binary inputs); rows are
    /// named by <paramref name="imageNameColumnName"/> (text) or by their index.
    /// </summary>
    public static SegmentationMetrics EvaluateSegmentation(this MLContext mlContext, IDataView data, string truthColumnName = "Truth", string predictedColumnName = "Instances", string? imageNameColumnName = null, SegmentationEvaluatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(data);
        var schema = data.Schema;
        var truthCol = Find(schema, truthColumnName);
        var predCol = Find(schema, predictedColumnName);
        var nameCol = imageNameColumnName is null ? (DataViewSchema.Column?)null : Find(schema, imageNameColumnName);
        var shapeCols = new[] { MicroscopyImageColumns.Depth(truthColumnName), MicroscopyImageColumns.Height(truthColumnName), MicroscopyImageColumns.Width(truthColumnName) }.Select(schema.GetColumnOrNull).ToArray();
        var columns = new List<DataViewSchema.Column> { truthCol, predCol };
        if (nameCol is { } nc)
            columns.Add(nc);
        columns.AddRange(shapeCols.Where(c => c is not null).Select(c => c!.Value));

        var evaluator = new SegmentationEvaluator(options);
        var rows = new List<ImageSegmentationMetrics>();
        using var cursor = data.GetRowCursor(columns);
        var truthGetter = MakeGetter(cursor, truthCol);
        var predGetter = MakeGetter(cursor, predCol);
        ValueGetter<ReadOnlyMemory<char>>? nameGetter = nameCol is { } n ? cursor.GetGetter<ReadOnlyMemory<char>>(n) : null;
        var shapeGetters = shapeCols.Select(c => c is { } sc && sc.Type.RawType == typeof(int) ? cursor.GetGetter<int>(sc) : null).ToArray();
        long row = 0;
        while (cursor.MoveNext())
        {
            string name = row.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (nameGetter is not null)
            {
                ReadOnlyMemory<char> text = default;
                nameGetter(ref text);
                name = text.ToString();
            }

            uint[] truth = truthGetter($"column '{truthColumnName}', image '{name}'");
            uint[] pred = predGetter($"column '{predictedColumnName}', image '{name}'");
            if (truth.Length == 0)
                throw new ArgumentException($"Column '{truthColumnName}' of image '{name}' is empty.", nameof(data));
            if (truth.Length != pred.Length)
                throw new ArgumentException($"Image '{name}': column '{predictedColumnName}' has {pred.Length} values but '{truthColumnName}' has {truth.Length}.", nameof(data));
            int[] dims = new int[3];
            for (int k = 0; k < 3; k++)
            {
                int v = 0;
                shapeGetters[k]?.Invoke(ref v);
                dims[k] = v;
            }

            ImageShape shape = dims[1] > 0 && dims[2] > 0 && (long)Math.Max(1, dims[0]) * dims[1] * dims[2] == truth.Length
                ? (dims[0] > 0 && shapeGetters[0] is not null ? ImageShape.Of3D(dims[0], dims[1], dims[2]) : ImageShape.Of2D(dims[1], dims[2]))
                : ImageShape.Of2D(1, truth.Length);
            rows.Add(evaluator.EvaluateImage(new ImageBuffer<uint>(truth, shape), new ImageBuffer<uint>(pred, shape), name));
            row++;
        }

        if (rows.Count == 0)
            throw new ArgumentException("The data view has no row to evaluate.", nameof(data));
        return SegmentationEvaluator.Combine(rows);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name)
        => schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' not found in the data view.");

    private static Func<string, uint[]> MakeGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var itemType = column.Type is VectorDataViewType v ? v.ItemType.RawType : null;
        if (itemType == typeof(uint))
            return Vector<uint>(cursor, column, x => x);
        if (itemType == typeof(ushort))
            return Vector<ushort>(cursor, column, x => x);
        if (itemType == typeof(byte))
            return Vector<byte>(cursor, column, x => x);
        if (itemType == typeof(int))
            return Vector<int>(cursor, column, x => x < 0 ? throw new ArgumentException($"Column '{column.Name}' has a negative label {x}.") : (uint)x);
        if (itemType == typeof(float))
        {
            var g = cursor.GetGetter<VBuffer<float>>(column);
            return what =>
            {
                VBuffer<float> buffer = default;
                g(ref buffer);
                var values = buffer.DenseValues().ToArray();
                if (values.Length == 0)
                    return Array.Empty<uint>();
                return LabelMaps.FromFloat(new ImageBuffer<float>(values, ImageShape.Of2D(1, values.Length)), what).Data;
            };
        }

        throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' must be a vector of UInt32, UInt16, Byte, Int32 or Single but is {column.Type}.");
    }

    private static Func<string, uint[]> Vector<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, uint> convert)
    {
        var g = cursor.GetGetter<VBuffer<T>>(column);
        return _ =>
        {
            VBuffer<T> buffer = default;
            g(ref buffer);
            return buffer.DenseValues().Select(convert).ToArray();
        };
    }
}
