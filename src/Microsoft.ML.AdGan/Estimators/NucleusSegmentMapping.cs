using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// The row mapping of the AD-GAN transformer: image, shape, voxel size and the serialised model in; labels, decoded map,
/// working scale and nucleus count out, from the segmentation pipeline (<see cref="NucleusSegmenter"/>). Infrastructure of
/// the saved model; not meant for direct use.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class NucleusSegmentMapping : CustomMappingFactory<NucleusSegmentMapping.Input, NucleusSegmentMapping.Output>
{
    /// <summary>Contract name recorded in model files.</summary>
    public const string ContractName = "AdGan.Segment.v2";

    internal const string ImageColumn = "__AdGanSegImage", DepthColumn = "__AdGanSegDepth", HeightColumn = "__AdGanSegHeight", WidthColumn = "__AdGanSegWidth";
    internal const string VoxelSizeColumn = "__AdGanSegVoxelSize", WeightsColumn = "__AdGanSegWeights", LabelsColumn = "__AdGanSegLabels";
    internal const string DecodedColumn = "__AdGanSegDecoded", CountColumn = "__AdGanSegCount", ScaleColumn = "__AdGanSegWorkingScale";

    /// <summary>Internal input columns.</summary>
    public sealed class Input
    {
        /// <summary>Raw image, Z, Y, X row-major.</summary>
        [ColumnName(ImageColumn)]
        [VectorType]
        public float[] Image { get; set; } = Array.Empty<float>();

        /// <summary>Depth (1 for 2D).</summary>
        [ColumnName(DepthColumn)]
        public int Depth { get; set; }

        /// <summary>Height.</summary>
        [ColumnName(HeightColumn)]
        public int Height { get; set; }

        /// <summary>Width.</summary>
        [ColumnName(WidthColumn)]
        public int Width { get; set; }

        /// <summary>Voxel size Z, Y, X in micrometres (zeros: unknown).</summary>
        [ColumnName(VoxelSizeColumn)]
        [VectorType(3)]
        public float[] VoxelSize { get; set; } = new float[3];

        /// <summary>The serialised model.</summary>
        [ColumnName(WeightsColumn)]
        [VectorType]
        public byte[] Weights { get; set; } = Array.Empty<byte>();
    }

    /// <summary>Internal output columns.</summary>
    public sealed class Output
    {
        /// <summary>Instance labels (0 = background) at the image's size.</summary>
        [ColumnName(LabelsColumn)]
        [VectorType]
        public uint[] Labels { get; set; } = Array.Empty<uint>();

        /// <summary>Decoded map in [-1, 1] at the image's size.</summary>
        [ColumnName(DecodedColumn)]
        [VectorType]
        public float[] Decoded { get; set; } = Array.Empty<float>();

        /// <summary>Number of nuclei.</summary>
        [ColumnName(CountColumn)]
        public int Count { get; set; }

        /// <summary>The factor the image was resized by before the network.</summary>
        [ColumnName(ScaleColumn)]
        public double WorkingScale { get; set; }
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => Map;

    internal static void Map(Input input, Output output)
    {
        var model = AdGanModelCache.Get(input.Weights);
        var result = new NucleusSegmenter(model).Segment(ToBuffer(input, model.Settings.Dimensions), "the image of this row");
        output.Labels = result.Labels.Data;
        output.Decoded = result.DecodedMap.Data;
        output.Count = result.NucleusCount;
        output.WorkingScale = result.WorkingScale;
    }

    private static ImageBuffer<float> ToBuffer(Input input, int dimensions)
    {
        int d = Math.Max(1, input.Depth), h = input.Height, w = input.Width;
        if (h < 1 || w < 1 || (long)d * h * w != input.Image.Length)
            throw new InvalidOperationException($"The image column holds {input.Image.Length} values but its shape columns say {d}x{h}x{w}.");
        if (dimensions == 2 && d != 1)
            throw new SegmentationException("the image of this row", $"The model segments 2D images but the image column holds a volume of depth {d}.");
        var shape = dimensions == 3 ? ImageShape.Of3D(d, h, w) : ImageShape.Of2D(h, w);
        return new ImageBuffer<float>(input.Image, shape, ImageColumnInput.VoxelSizeOf(input.VoxelSize));
    }
}
