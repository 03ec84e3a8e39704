using System.Buffers;
using System.IO.Compression;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Counts what a zlib stream decompresses to without keeping it (the length checks of PNG and Deflate TIFF).</summary>
internal static class ZlibLength
{
    /// <summary>The decompressed length of <paramref name="compressed"/>, counting no further than <paramref name="limit"/>; corrupt data throws <see cref="InvalidDataException"/>.</summary>
    public static long Count(Stream compressed, long limit)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            long total = 0;
            int read;
            while (total < limit && (read = inflater.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total))) > 0)
                total += read;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
