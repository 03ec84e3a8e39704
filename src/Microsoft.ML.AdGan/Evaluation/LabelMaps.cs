using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>Conversions of label maps held in other element types.</summary>
public static class LabelMaps
{
    private static readonly MicroscopyReadOptions FirstChannel = new() { Channel = 0 };

    /// <summary>Reads a label map (8/16-bit PNG, 16/32-bit TIFF, a multi-page TIFF as a volume) with <see cref="MicroscopyImageReader"/>.</summary>
    public static ImageBuffer<uint> Read(string path)
        => FromFloat(MicroscopyImageReader.Read(path, FirstChannel), $"file '{path}'");

    /// <summary>Converts a float map of whole, non-negative numbers to labels; <paramref name="what"/> names the map in errors.</summary>
    public static ImageBuffer<uint> FromFloat(ImageBuffer<float> map, string what = "map")
    {
        ArgumentNullException.ThrowIfNull(map);
        var result = new uint[map.Data.Length];
        for (int i = 0; i < result.Length; i++)
        {
            float v = map.Data[i];
            if (!(v >= 0) || v != MathF.Floor(v) || v > uint.MaxValue)
            {
                int z = i / (map.Shape.Height * map.Shape.Width), rem = i % (map.Shape.Height * map.Shape.Width);
                throw new ArgumentException($"The {what} is not a label map: value {v} at (z {z}, y {rem / map.Shape.Width}, x {rem % map.Shape.Width}) is not a non-negative whole number.", nameof(map));
            }

            result[i] = (uint)v;
        }

        return new ImageBuffer<uint>(result, map.Shape, map.VoxelSize);
    }
}
