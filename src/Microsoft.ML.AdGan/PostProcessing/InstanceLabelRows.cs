using Microsoft.ML.Data;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Row types of the saveable custom mappings behind <see cref="InstanceLabelTransformer"/>; not meant for direct use.</summary>
internal static class InstanceLabelRows
{
    internal const string Prefix = "__AdGanInstanceLabel";
    internal const string MapColumn = Prefix + "Map";
    internal const string HeightColumn = Prefix + "Height";
    internal const string WidthColumn = Prefix + "Width";
    internal const string DepthColumn = Prefix + "Depth";
    internal const string OptionsKeyColumn = Prefix + "OptionsKey";
    internal const string OptionsColumn = Prefix + "Options";
    internal const string LabelsColumn = Prefix + "Labels";
    internal const string ImageColumn = Prefix + "Image";
    internal const string ImageDepthColumn = Prefix + "ImageDepth";
    internal const string ImageHeightColumn = Prefix + "ImageHeight";
    internal const string ImageWidthColumn = Prefix + "ImageWidth";

    /// <summary>Input of the options-key mapping.</summary>
    public sealed class KeyInput
    {
        /// <summary>The image height (only read to have an input).</summary>
        [ColumnName(HeightColumn)]
        public int Height { get; set; }
    }

    /// <summary>Output of the options-key mapping.</summary>
    public sealed class KeyOutput
    {
        /// <summary>The constant key under which the options vector is stored.</summary>
        [ColumnName(OptionsKeyColumn)]
        public string Key { get; set; } = string.Empty;
    }

    /// <summary>Input of the 2D labelling mapping.</summary>
    public class Input2D
    {
        /// <summary>The decoded map, row-major.</summary>
        [ColumnName(MapColumn)]
        public float[] Map { get; set; } = Array.Empty<float>();

        /// <summary>The height.</summary>
        [ColumnName(HeightColumn)]
        public int Height { get; set; }

        /// <summary>The width.</summary>
        [ColumnName(WidthColumn)]
        public int Width { get; set; }

        /// <summary>The options vector.</summary>
        [ColumnName(OptionsColumn)]
        public float[] Options { get; set; } = Array.Empty<float>();
    }

    /// <summary>Input of the 3D labelling mapping.</summary>
    public sealed class Input3D : Input2D
    {
        /// <summary>The depth.</summary>
        [ColumnName(DepthColumn)]
        public int Depth { get; set; }
    }

    /// <summary>Input of the labelling mappings that refine boundaries with the image (the map's depth is the image's).</summary>
    public sealed class InputWithImage : Input2D
    {
        /// <summary>The image the map was decoded from, row-major.</summary>
        [ColumnName(ImageColumn)]
        public float[] Image { get; set; } = Array.Empty<float>();

        /// <summary>The image's depth (1 for 2D).</summary>
        [ColumnName(ImageDepthColumn)]
        public int ImageDepth { get; set; }

        /// <summary>The image's height.</summary>
        [ColumnName(ImageHeightColumn)]
        public int ImageHeight { get; set; }

        /// <summary>The image's width.</summary>
        [ColumnName(ImageWidthColumn)]
        public int ImageWidth { get; set; }
    }

    /// <summary>Output of the labelling mappings.</summary>
    public sealed class Output
    {
        /// <summary>The label map, row-major, 0 = background.</summary>
        [ColumnName(LabelsColumn)]
        public uint[] Labels { get; set; } = Array.Empty<uint>();
    }
}
