using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.AdGan.Tests.Export;

/// <summary>A reader of ImageJ .roi files written from the format's description (header offsets of ImageJ's RoiDecoder), for round trips.</summary>
internal sealed record DecodedRoi(string Name, int Type, int Position, (int Top, int Left, int Bottom, int Right) Bounds, IReadOnlyList<(double[] X, double[] Y)> Rings)
{
    public bool IsComposite => Type == 1;

    public static DecodedRoi Decode(byte[] b)
    {
        Assert.AreEqual("Iout", System.Text.Encoding.ASCII.GetString(b, 0, 4));
        Assert.IsGreaterThanOrEqualTo(228, (int)BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(4)), "version");
        int type = b[6];
        int top = BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(8)), left = BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(10));
        int bottom = BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(12)), right = BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(14));
        int n = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(16));
        int shapeSize = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(36));
        int position = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(56));
        int header2 = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(60));
        var rings = new List<(double[] X, double[] Y)>();
        if (shapeSize > 0)
        {
            Assert.AreEqual(1, type, "a composite ROI has the rectangle type");
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < shapeSize;)
            {
                int code = (int)BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(64 + 4 * i));
                if (code == 4)
                {
                    rings.Add((xs.ToArray(), ys.ToArray()));
                    xs.Clear();
                    ys.Clear();
                    i++;
                    continue;
                }

                Assert.IsTrue(code is 0 or 1, $"path segment {code}");
                Assert.AreEqual(code == 0, xs.Count == 0, "each ring starts with one move-to");
                xs.Add(BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(64 + 4 * (i + 1))));
                ys.Add(BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(64 + 4 * (i + 2))));
                i += 3;
            }

            Assert.IsEmpty(xs, "every ring is closed");
        }
        else
        {
            var xs = new double[n];
            var ys = new double[n];
            for (int i = 0; i < n; i++)
            {
                xs[i] = left + BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(64 + 2 * i));
                ys[i] = top + BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(64 + 2 * (n + i)));
            }

            rings.Add((xs, ys));
        }

        int nameAt = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(header2 + 16));
        int nameLength = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(header2 + 20));
        var name = new char[nameLength];
        for (int i = 0; i < nameLength; i++)
            name[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(nameAt + 2 * i));
        return new DecodedRoi(new string(name), type, position, (top, left, bottom, right), rings);
    }

    /// <summary>Every .roi of a ROI-set zip, with its entry name (without .roi).</summary>
    public static List<(string Entry, DecodedRoi Roi)> ReadZip(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var result = new List<(string, DecodedRoi)>();
        foreach (var entry in zip.Entries)
        {
            using var s = entry.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            result.Add((Path.GetFileNameWithoutExtension(entry.Name), Decode(ms.ToArray())));
        }

        return result;
    }
}
