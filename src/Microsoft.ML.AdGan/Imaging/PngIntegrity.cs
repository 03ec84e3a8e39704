using System.Buffers.Binary;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Checks a PNG file's structure before it is decoded (the decoder fills missing rows with zeros): every chunk inside the
/// file with a matching CRC, IHDR first, an IEND chunk, and image data that decompresses to every row the header states.
/// </summary>
internal static class PngIntegrity
{
    private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Checks the chunks and the pixel budget; throws <see cref="MicroscopyImageException"/> naming the file and what is missing.</summary>
    public static void Check(string name, byte[] bytes, MicroscopyReadOptions options)
    {
        if (bytes.Length < Signature.Length || !bytes.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new MicroscopyImageException(name, "not a PNG file (bad signature).");
        long position = Signature.Length;
        int width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        var data = new List<(int Offset, int Length)>();
        bool ended = false;
        while (!ended)
        {
            if (position + 8 > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: the file ends after {bytes.Length} bytes without an IEND chunk.");
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)position));
            string type = System.Text.Encoding.ASCII.GetString(bytes, (int)position + 4, 4);
            if (length > int.MaxValue || position + 12 + length > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: the {type} chunk at byte {position} claims {length} bytes but the file ends at {bytes.Length}.");
            var body = bytes.AsSpan((int)position + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)(position + 8 + length)));
            if (Crc32.Compute(bytes.AsSpan((int)position + 4, (int)length + 4)) != stored)
                throw new MicroscopyImageException(name, $"corrupt: the {type} chunk at byte {position} fails its CRC check.");
            if (position == Signature.Length)
            {
                if (type != "IHDR" || length != 13)
                    throw new MicroscopyImageException(name, "corrupt: the file does not start with an IHDR chunk.");
                width = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(body));
                height = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
                (bitDepth, colorType, interlace) = (body[8], body[9], body[12]);
                PixelBudget.Check(name, options, width, height);
            }

            if (type == "IDAT")
                data.Add(((int)position + 8, (int)length));
            ended = type == "IEND";
            position += 12 + length;
        }

        if (data.Count == 0)
            throw new MicroscopyImageException(name, "truncated: the file has no image data (IDAT chunk).");
        long expected = DecodedLength(width, height, bitDepth * Samples(colorType), interlace == 1);
        long found = Inflated(bytes, data, expected);
        if (found < expected)
            throw new MicroscopyImageException(name, $"truncated: the image data decompresses to {found} bytes, {expected} needed for {width} x {height} pixels.");
    }

    private static int Samples(int colorType) => colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    /// <summary>Filtered bytes of the image: one filter byte per row, for the whole image or for each of the seven Adam7 passes.</summary>
    private static long DecodedLength(long width, long height, int bitsPerPixel, bool interlaced)
    {
        long Pass(long w, long h) => w > 0 && h > 0 ? h * (1 + (w * bitsPerPixel + 7) / 8) : 0;
        if (!interlaced)
            return Pass(width, height);
        ReadOnlySpan<int> x0 = new[] { 0, 4, 0, 2, 0, 1, 0 }, y0 = new[] { 0, 0, 4, 0, 2, 0, 1 }, dx = new[] { 8, 8, 4, 4, 2, 2, 1 }, dy = new[] { 8, 8, 8, 4, 4, 2, 2 };
        long total = 0;
        for (int p = 0; p < 7; p++)
            total += Pass((width - x0[p] + dx[p] - 1) / dx[p], (height - y0[p] + dy[p] - 1) / dy[p]);
        return total;
    }

    /// <summary>How many bytes the concatenated IDAT data inflates to, counting no further than <paramref name="limit"/>.</summary>
    private static long Inflated(byte[] bytes, List<(int Offset, int Length)> chunks, long limit)
    {
        using var compressed = new MemoryStream(chunks.Sum(c => c.Length));
        foreach (var (offset, length) in chunks)
            compressed.Write(bytes, offset, length);
        compressed.Position = 0;
        return ZlibLength.Count(compressed, limit);
    }
}
