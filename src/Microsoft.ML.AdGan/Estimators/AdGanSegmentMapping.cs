using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// The row mapping of model zips saved before the transformer labelled nuclei itself: image + shape + weight blob to decoded
/// map and binary mask, decoded by the segmentation pipeline. Kept so those zips load and give the outputs they gave; new
/// transformers use <see cref="NucleusSegmentMapping"/>. Not meant for direct use.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class AdGanSegmentMapping : CustomMappingFactory<AdGanSegmentMapping.Input, AdGanSegmentMapping.Output>
{
    /// <summary>Contract name recorded in model files.</summary>
    public const string ContractName = "AdGan.Segment.v1";

    /// <summary>Internal input columns (the transformer copies the user's columns into these names).</summary>
    public sealed class Input
    {
        /// <summary>Raw image, Z, Y, X row-major.</summary>
        [VectorType]
        public float[] __AdGanImage { get; set; } = Array.Empty<float>();

        /// <summary>Depth (1 for 2D).</summary>
        public int __AdGanDepth { get; set; }

        /// <summary>Height.</summary>
        public int __AdGanHeight { get; set; }

        /// <summary>Width.</summary>
        public int __AdGanWidth { get; set; }

        /// <summary>The serialised model.</summary>
        [VectorType]
        public byte[] __AdGanWeights { get; set; } = Array.Empty<byte>();
    }

    /// <summary>Internal output columns.</summary>
    public sealed class Output
    {
        /// <summary>Decoded map in [-1, 1] at the image's size.</summary>
        [VectorType]
        public float[] __AdGanDecoded { get; set; } = Array.Empty<float>();

        /// <summary>Binary mask (1 = nucleus).</summary>
        [VectorType]
        public byte[] __AdGanMask { get; set; } = Array.Empty<byte>();
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => (input, output) =>
    {
        var model = AdGanModelCache.Get(input.__AdGanWeights);
        var image = ToBuffer(input, model.Settings.Dimensions);
        var decoded = new NucleusSegmenter(model).Decode(image, "the image of this row").Map;
        output.__AdGanDecoded = decoded.Data;
        output.__AdGanMask = model.Foreground(decoded).Data;
    };

    private static ImageBuffer<float> ToBuffer(Input input, int dimensions)
    {
        int d = Math.Max(1, input.__AdGanDepth), h = input.__AdGanHeight, w = input.__AdGanWidth;
        if (h < 1 || w < 1 || (long)d * h * w != input.__AdGanImage.Length)
            throw new InvalidOperationException(
                $"The image column holds {input.__AdGanImage.Length} values but its shape columns say {d}x{h}x{w}.");
        if (dimensions == 2 && d != 1)
            throw new InvalidOperationException($"The model segments 2D images but the image column holds a volume of depth {d}.");
        var shape = dimensions == 3 ? ImageShape.Of3D(d, h, w) : ImageShape.Of2D(h, w);
        return new ImageBuffer<float>(input.__AdGanImage, shape);
    }
}
