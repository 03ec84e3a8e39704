using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Creates the constant options key of <see cref="InstanceLabelTransformer"/> (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class InstanceLabelKeyFactory : CustomMappingFactory<InstanceLabelRows.KeyInput, InstanceLabelRows.KeyOutput>
{
    internal const string ContractName = "AdGan.InstanceLabel.OptionsKey.v1";
    internal const string Key = "options";

    /// <inheritdoc/>
    public override Action<InstanceLabelRows.KeyInput, InstanceLabelRows.KeyOutput> GetMapping() => Map;

    internal static void Map(InstanceLabelRows.KeyInput input, InstanceLabelRows.KeyOutput output) => output.Key = Key;
}

/// <summary>The 2D labelling mapping of <see cref="InstanceLabelTransformer"/> (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class InstanceLabel2DFactory : LabelMapFactory<InstanceLabelRows.Input2D>
{
    internal const string ContractName = "AdGan.InstanceLabel.2D.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public InstanceLabel2DFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.Input2D input, InstanceLabelRows.Output output)
        => output.Labels = InstanceLabelOptionsCodec.Run(input, 1, 2);
}

/// <summary>The 3D labelling mapping of <see cref="InstanceLabelTransformer"/> (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class InstanceLabel3DFactory : LabelMapFactory<InstanceLabelRows.Input3D>
{
    internal const string ContractName = "AdGan.InstanceLabel.3D.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public InstanceLabel3DFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.Input3D input, InstanceLabelRows.Output output)
        => output.Labels = InstanceLabelOptionsCodec.Run(input, input.Depth, 3);
}

/// <summary>The 2D labelling mapping with the image for boundary refinement (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class InstanceLabel2DImageFactory : LabelMapFactory<InstanceLabelRows.InputWithImage>
{
    internal const string ContractName = "AdGan.InstanceLabel.2D.Image.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public InstanceLabel2DImageFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.InputWithImage input, InstanceLabelRows.Output output)
        => output.Labels = InstanceLabelOptionsCodec.RunWithImage(input, 2);
}

/// <summary>The 3D labelling mapping with the image for boundary refinement (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class InstanceLabel3DImageFactory : LabelMapFactory<InstanceLabelRows.InputWithImage>
{
    internal const string ContractName = "AdGan.InstanceLabel.3D.Image.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public InstanceLabel3DImageFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.InputWithImage input, InstanceLabelRows.Output output)
        => output.Labels = InstanceLabelOptionsCodec.RunWithImage(input, 3);
}

/// <summary>Options as a float vector (saved in the model through a value mapping) and the per-row work.</summary>
internal static class InstanceLabelOptionsCodec
{
    public static float[] Encode(InstanceLabelOptions o) => new float[]
    {
        3, (float)o.Mode, o.ForegroundThreshold, o.CoreThreshold, o.MinCoreSize, o.MinObjectSize,
        o.FillHoles ? 1 : 0, o.DropBorderObjects ? 1 : 0, o.MinMarkerDistance, (float)o.Connectivity, (float)o.Growth,
        (float)o.WorkingScale, (float)o.ImageBoundaryBand, (float)o.ImageBlurSigma,
    };

    public static InstanceLabelOptions Decode(float[] v)
    {
        // Version 1 (11 values) predates WorkingScale and labelled at the map's own size; version 2 (12) predates the image band.
        if (!(v.Length == 11 && v[0] == 1) && !(v.Length == 12 && v[0] == 2) && !(v.Length == 14 && v[0] == 3))
            throw new InvalidOperationException($"Instance labelling options of version {(v.Length > 0 ? v[0] : 0)} with {v.Length} values are not understood.");
        return new InstanceLabelOptions
        {
            Mode = (InstanceLabelMode)(int)v[1],
            ForegroundThreshold = v[2],
            CoreThreshold = v[3],
            MinCoreSize = (int)v[4],
            MinObjectSize = (int)v[5],
            FillHoles = v[6] != 0,
            DropBorderObjects = v[7] != 0,
            MinMarkerDistance = (int)v[8],
            Connectivity = (Connectivity)(int)v[9],
            Growth = (InstanceGrowth)(int)v[10],
            WorkingScale = v[0] >= 2 ? v[11] : 1.0,
            ImageBoundaryBand = v[0] >= 3 ? v[12] : 0,
            ImageBlurSigma = v[0] >= 3 ? v[13] : 1.0,
        };
    }

    public static uint[] Run(InstanceLabelRows.Input2D input, int depth, int dimensions)
    {
        var map = input.Map ?? Array.Empty<float>();
        if (input.Height < 1 || input.Width < 1 || depth < 1 || (long)depth * input.Height * input.Width != map.Length)
            throw new InvalidOperationException($"The decoded map has {map.Length} values but its shape columns say {depth}x{input.Height}x{input.Width}.");
        var shape = dimensions == 3 ? ImageShape.Of3D(depth, input.Height, input.Width) : ImageShape.Of2D(input.Height, input.Width);
        var labeler = new InstanceLabeler(Decode(input.Options));
        return labeler.Label(new ImageBuffer<float>(map, shape)).Data;
    }

    public static uint[] RunWithImage(InstanceLabelRows.InputWithImage input, int dimensions)
    {
        var map = input.Map ?? Array.Empty<float>();
        var image = input.Image ?? Array.Empty<float>();
        // A map of depth 1 is an image, whichever factory reads it.
        int depth = dimensions == 3 ? Math.Max(1, input.ImageDepth) : 1;
        dimensions = depth > 1 ? 3 : 2;
        if (input.Height < 1 || input.Width < 1 || (long)depth * input.Height * input.Width != map.Length)
            throw new InvalidOperationException($"The decoded map has {map.Length} values but its shape columns say {depth}x{input.Height}x{input.Width}.");
        if (input.ImageHeight != input.Height || input.ImageWidth != input.Width || image.Length != map.Length)
            throw new InvalidOperationException($"The image is {Math.Max(1, input.ImageDepth)}x{input.ImageHeight}x{input.ImageWidth} but its decoded map is {depth}x{input.Height}x{input.Width}: label a map with the image it was decoded from.");
        var shape = dimensions == 3 ? ImageShape.Of3D(depth, input.Height, input.Width) : ImageShape.Of2D(input.Height, input.Width);
        var labeler = new InstanceLabeler(Decode(input.Options));
        return labeler.Label(new ImageBuffer<float>(map, shape), new ImageBuffer<float>(image, shape)).Data;
    }
}
