using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>Reads NumPy .npy files holding little-endian float32 arrays in C order (versions 1.0 to 3.0).</summary>
internal static partial class NpyReader
{
    public static Tensor ReadTensor(string path)
    {
        var (shape, data) = Read(path);
        return tensor(data, shape);
    }

    public static (long[] Shape, float[] Data) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"'{path}' is not a .npy file.");
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1) { headerLength = BitConverter.ToUInt16(bytes, 8); headerStart = 10; }
        else { headerLength = checked((int)BitConverter.ToUInt32(bytes, 8)); headerStart = 12; }
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'"))
            throw new InvalidDataException($"'{path}': only little-endian float32 is supported; header {header}.");
        if (!header.Contains("'fortran_order': False"))
            throw new InvalidDataException($"'{path}': only C order is supported; header {header}.");
        var shapeText = ShapePattern().Match(header);
        if (!shapeText.Success) throw new InvalidDataException($"'{path}': no shape in header {header}.");
        var shape = shapeText.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var offset = headerStart + headerLength;
        if (bytes.Length - offset != count * 4)
            throw new InvalidDataException($"'{path}': {bytes.Length - offset} data bytes for shape ({string.Join(", ", shape)}).");
        var data = new float[count];
        Buffer.BlockCopy(bytes, offset, data, 0, checked((int)(count * 4)));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        return (shape, data);
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
