using System.Buffers.Binary;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Checks a BMP file's header against the pixel budget and, for uncompressed files, that every row is in the file.</summary>
internal static class BmpIntegrity
{
    /// <summary>Throws <see cref="MicroscopyImageException"/> naming the file when it is too large or its rows run past its end.</summary>
    public static void Check(string name, byte[] bytes, MicroscopyReadOptions options)
    {
        if (bytes.Length < 26 || bytes[0] != 'B' || bytes[1] != 'M')
            throw new MicroscopyImageException(name, "truncated: the BMP header is incomplete.");
        long dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10));
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(14));
        long width, height;
        int bits, compression = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(18));
            height = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20));
            bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(24));
        }
        else
        {
            if (bytes.Length < 34)
                throw new MicroscopyImageException(name, "truncated: the BMP header is incomplete.");
            width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(18));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(22)));
            bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28));
            compression = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(30));
        }

        PixelBudget.Check(name, options, width, height);
        if (compression is not (0 or 3 or 6) || bits is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
            return;
        long needed = dataOffset + (width * bits + 31) / 32 * 4 * height;
        if (needed > bytes.Length)
            throw new MicroscopyImageException(name, $"truncated: the pixel rows need {needed} bytes but the file has {bytes.Length}.");
    }
}
