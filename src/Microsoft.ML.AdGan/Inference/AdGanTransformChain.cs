using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The public ML.NET transforms an AD-GAN transformer is made of, so that plain <c>mlContext.Model.Save/Load</c>
/// round-trips it: copy the user's columns to internal names, a constant key, a ValueMapping from the key to the
/// weight blob, the segment mapping, copies to the user's output names, and a drop of the internal columns.
/// </summary>
internal static class AdGanTransformChain
{
    private const string Image = "__AdGanImage", Depth = "__AdGanDepth", Height = "__AdGanHeight", Width = "__AdGanWidth";
    private const string Key = "__AdGanKey", Weights = "__AdGanWeights", Decoded = "__AdGanDecoded", Mask = "__AdGanMask";

    /// <summary>Name of the mask column that accompanies a decoded-map column.</summary>
    public static string MaskColumn(string outputColumnName) => outputColumnName + ".Mask";

    public static IEstimator<ITransformer> Build(TransformsCatalog transforms, byte[] blob, string imageColumnName, string outputColumnName)
    {
        var weights = new[] { new KeyValuePair<string, byte[]>(ModelKeyMapping.Key, blob) };
        return transforms.CopyColumns(Image, imageColumnName)
            .Append(transforms.CopyColumns(Depth, MicroscopyImageColumns.Depth(imageColumnName)))
            .Append(transforms.CopyColumns(Height, MicroscopyImageColumns.Height(imageColumnName)))
            .Append(transforms.CopyColumns(Width, MicroscopyImageColumns.Width(imageColumnName)))
            .Append(transforms.CustomMapping(new ModelKeyMapping().GetMapping(), ModelKeyMapping.ContractName))
            .Append(transforms.Conversion.MapValue(Weights, weights, Key))
            .Append(transforms.CustomMapping(new AdGanSegmentMapping().GetMapping(), AdGanSegmentMapping.ContractName))
            .Append(transforms.CopyColumns(outputColumnName, Decoded))
            .Append(transforms.CopyColumns(MicroscopyImageColumns.Depth(outputColumnName), Depth))
            .Append(transforms.CopyColumns(MicroscopyImageColumns.Height(outputColumnName), Height))
            .Append(transforms.CopyColumns(MicroscopyImageColumns.Width(outputColumnName), Width))
            .Append(transforms.CopyColumns(MaskColumn(outputColumnName), Mask))
            .Append(transforms.DropColumns(Image, Depth, Height, Width, Key, Weights, Decoded, Mask));
    }

    /// <summary>Checks the input columns a fitted or unfitted AD-GAN transform needs, naming what is wrong.</summary>
    public static void CheckInput(DataViewSchema schema, string imageColumnName)
    {
        var image = schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Image column '{imageColumnName}' not found in the input.");
        if (image.Type is not VectorDataViewType { ItemType: NumberDataViewType n } || n.RawType != typeof(float))
            throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Image column '{imageColumnName}' must be a vector of Single (from LoadMicroscopyImages), not {image.Type}.");
        foreach (var name in new[] { MicroscopyImageColumns.Depth(imageColumnName), MicroscopyImageColumns.Height(imageColumnName), MicroscopyImageColumns.Width(imageColumnName) })
        {
            var column = schema.GetColumnOrNull(name)
                ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Shape column '{name}' of image column '{imageColumnName}' not found in the input.");
            if (column.Type != NumberDataViewType.Int32)
                throw new ArgumentOutOfRangeException(nameof(imageColumnName), $"Shape column '{name}' must be Int32, not {column.Type}.");
        }
    }
}
