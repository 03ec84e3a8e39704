using System.Buffers.Binary;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>
/// Checks a JPEG file's structure before it is decoded (the decoder fills what is missing with grey or zeros): every
/// segment inside the file, a frame header within the pixel budget, and the end-of-image marker after the last scan.
/// </summary>
internal static class JpegIntegrity
{
    private const byte StartOfImage = 0xD8, EndOfImage = 0xD9, StartOfScan = 0xDA;

    /// <summary>Walks the markers; throws <see cref="MicroscopyImageException"/> naming the file and what is missing.</summary>
    public static void Check(string name, byte[] bytes, MicroscopyReadOptions options)
    {
        if (bytes.Length < 4 || bytes[0] != 0xFF || bytes[1] != StartOfImage)
            throw new MicroscopyImageException(name, "not a JPEG file (no start-of-image marker).");
        int position = 2;
        bool frame = false;
        while (true)
        {
            while (position < bytes.Length && bytes[position] == 0xFF && position + 1 < bytes.Length && bytes[position + 1] == 0xFF)
                position++; // fill bytes
            if (position + 2 > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: the file ends after {bytes.Length} bytes without an end-of-image marker (FF D9).");
            if (bytes[position] != 0xFF)
                throw new MicroscopyImageException(name, $"corrupt: no JPEG marker at byte {position}.");
            byte marker = bytes[position + 1];
            position += 2;
            if (marker == EndOfImage)
                break;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
                continue;
            if (position + 2 > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: the file ends inside the FF {marker:X2} segment header.");
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position));
            if (length < 2 || position + length > bytes.Length)
                throw new MicroscopyImageException(name, $"truncated: the FF {marker:X2} segment at byte {position - 2} claims {length} bytes but the file ends at {bytes.Length}.");
            if (IsFrameHeader(marker))
            {
                if (length < 8)
                    throw new MicroscopyImageException(name, "corrupt: the frame header is too short.");
                int height = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position + 3));
                int width = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position + 5));
                PixelBudget.Check(name, options, width, height);
                frame = true;
            }

            position += length;
            if (marker == StartOfScan)
            {
                if (!frame)
                    throw new MicroscopyImageException(name, "corrupt: a scan starts before the frame header.");
                position = EndOfScan(bytes, position);
                if (position < 0)
                    throw new MicroscopyImageException(name, $"truncated: the scan data runs to the end of the file ({bytes.Length} bytes) without an end-of-image marker (FF D9).");
            }
        }

        if (!frame)
            throw new MicroscopyImageException(name, "corrupt: the file has no frame header.");
    }

    /// <summary>SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC).</summary>
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    /// <summary>The position of the first marker after entropy-coded data (FF followed by neither 00 nor a restart marker), or -1.</summary>
    private static int EndOfScan(byte[] bytes, int position)
    {
        while (true)
        {
            int next = bytes.AsSpan(position).IndexOf((byte)0xFF);
            if (next < 0 || position + next + 1 >= bytes.Length)
                return -1;
            position += next;
            byte after = bytes[position + 1];
            if (after != 0x00 && after != 0xFF && after is not (>= 0xD0 and <= 0xD7))
                return position;
            position += after == 0xFF ? 1 : 2;
        }
    }
}
