using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>The 2D mapping of <see cref="ThresholdSegmentationTransformer"/> (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ThresholdSegmentation2DFactory : LabelMapFactory<InstanceLabelRows.Input2D>
{
    internal const string ContractName = "AdGan.ThresholdSegmentation.2D.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public ThresholdSegmentation2DFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.Input2D input, InstanceLabelRows.Output output)
        => output.Labels = ThresholdSegmentationCodec.Run(input, 1, 2);
}

/// <summary>The 3D mapping of <see cref="ThresholdSegmentationTransformer"/> (ML.NET model loading uses it).</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ThresholdSegmentation3DFactory : LabelMapFactory<InstanceLabelRows.Input3D>
{
    internal const string ContractName = "AdGan.ThresholdSegmentation.3D.v1";

    /// <summary>Creates the mapping (ML.NET model loading calls this).</summary>
    public ThresholdSegmentation3DFactory()
        : base(Map)
    {
    }

    internal static void Map(InstanceLabelRows.Input3D input, InstanceLabelRows.Output output)
        => output.Labels = ThresholdSegmentationCodec.Run(input, input.Depth, 3);
}

/// <summary>Baseline options as a float vector (saved in the model through a value mapping) and the per-row work.</summary>
internal static class ThresholdSegmentationCodec
{
    // Version 2 adds the distance jitter, its seed (as two 16-bit halves, exact in floats) and the peak spacing (-1: the
    // marker radius); version 1 had neither jitter nor a separate spacing.
    public static float[] Encode(ThresholdSegmentationOptions o) => new float[]
    {
        2, (float)o.Method, (float)o.BlurSigma, (float)o.MinDiameter, o.MarkerRadius ?? -1, o.MinObjectSize is { } m ? (float)m : -1,
        o.FillHoles ? 1 : 0, o.DropBorderObjects ? 1 : 0, o.ExcludeBorderPeaks ? 1 : 0, (float)o.WatershedConnectivity,
        (float)o.DistanceJitter, o.JitterSeed & 0xffff, o.JitterSeed >> 16, o.PeakSpacing ?? -1,
    };

    public static ThresholdSegmentationOptions Decode(float[] v)
    {
        bool known = v.Length > 0 && ((v[0] == 1 && v.Length >= 10) || (v[0] == 2 && v.Length >= 14));
        if (!known)
            throw new InvalidOperationException($"Threshold segmentation options of version {(v.Length > 0 ? v[0] : 0)} with {v.Length} values are not understood.");
        return new ThresholdSegmentationOptions
        {
            Method = (ThresholdMethod)(int)v[1],
            BlurSigma = v[2],
            MinDiameter = v[3],
            MarkerRadius = v[4] < 0 ? null : (int)v[4],
            MinObjectSize = v[5] < 0 ? null : v[5],
            FillHoles = v[6] != 0,
            DropBorderObjects = v[7] != 0,
            ExcludeBorderPeaks = v[8] != 0,
            WatershedConnectivity = (Connectivity)(int)v[9],
            DistanceJitter = v[0] == 1 ? 0 : v[10],
            JitterSeed = v[0] == 1 ? 0 : (int)v[11] | ((int)v[12] << 16),
            PeakSpacing = v[0] == 1 || v[13] < 0 ? null : (int)v[13],
        };
    }

    public static uint[] Run(InstanceLabelRows.Input2D input, int depth, int dimensions)
    {
        var image = input.Map ?? Array.Empty<float>();
        if (input.Height < 1 || input.Width < 1 || depth < 1 || (long)depth * input.Height * input.Width != image.Length)
            throw new InvalidOperationException($"The image has {image.Length} values but its shape columns say {depth}x{input.Height}x{input.Width}.");
        var shape = dimensions == 3 ? ImageShape.Of3D(depth, input.Height, input.Width) : ImageShape.Of2D(input.Height, input.Width);
        return new ThresholdSegmentation(Decode(input.Options)).Segment(new ImageBuffer<float>(image, shape)).Data;
    }
}
