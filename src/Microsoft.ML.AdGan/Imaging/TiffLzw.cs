namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Measures TIFF LZW data (MSB-first codes of 9 to 12 bits, early change) without keeping the decoded bytes.</summary>
internal static class TiffLzw
{
    private const int Clear = 256, EndOfInformation = 257, FirstFree = 258, TableSize = 4096;

    /// <summary>How many bytes <paramref name="data"/> decodes to, counting no further than <paramref name="limit"/>; a code the table cannot hold yet throws <see cref="InvalidDataException"/>.</summary>
    public static long DecodedLength(ReadOnlySpan<byte> data, long limit)
    {
        Span<int> lengths = stackalloc int[TableSize];
        lengths[..256].Fill(1);
        int next = FirstFree, width = 9, previous = -1;
        long total = 0;
        ulong buffer = 0;
        int buffered = 0, position = 0;
        while (total < limit)
        {
            while (buffered < width && position < data.Length)
            {
                buffer = (buffer << 8) | data[position++];
                buffered += 8;
            }

            if (buffered < width)
                break;
            int code = (int)(buffer >> (buffered - width)) & ((1 << width) - 1);
            buffered -= width;
            if (code == Clear)
            {
                (next, width, previous) = (FirstFree, 9, -1);
                continue;
            }

            if (code == EndOfInformation)
                break;
            int length;
            if (previous < 0)
            {
                if (code > 255)
                    throw new InvalidDataException($"LZW code {code} follows a clear code.");
                length = 1;
            }
            else if (code < next)
            {
                length = lengths[code];
                if (next < TableSize)
                    lengths[next++] = lengths[previous] + 1;
            }
            else if (code == next && next < TableSize)
            {
                length = lengths[previous] + 1;
                lengths[next++] = length;
            }
            else
            {
                throw new InvalidDataException($"LZW code {code} is not in the table yet ({next} entries).");
            }

            total += length;
            previous = code;
            width = next >= 2047 ? 12 : next >= 1023 ? 11 : next >= 511 ? 10 : 9;
        }

        return total;
    }
}
