using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Tests.Export;

/// <summary>Small label maps with the shapes exports get wrong: holes, several parts, corner-only links, single pixels, borders.</summary>
internal static class ExportScenes
{
    public static readonly VoxelSize PixelSize2D = new(0, 0.5, 0.25);
    public static readonly VoxelSize VoxelSize3D = new(2.0, 0.5, 0.5);

    /// <summary>A 40 x 56 map with 15 awkward nuclei (see the comments), calibrated 0.5 x 0.25 µm.</summary>
    public static ImageBuffer<uint> Labels2D()
    {
        var m = new ImageBuffer<uint>(ImageShape.Of2D(40, 56), PixelSize2D);
        Disc(m, 0, 7, 7, 4.6, 1);                       // a plain disc
        Disc(m, 0, 8, 22, 6.2, 2);                      // an annulus: one hole
        Disc(m, 0, 8, 22, 2.5, 0);
        Box(m, 0, 2, 34, 5, 37, 3);                     // two parts far apart
        Box(m, 0, 10, 40, 12, 42, 3);
        Box(m, 0, 18, 2, 20, 4, 4);                     // two squares touching at a corner only
        Box(m, 0, 20, 4, 22, 6, 4);
        Box(m, 0, 18, 12, 21, 15, 5);                   // a C: corner-only link that the object also joins the long way
        m[18, 12] = 0;
        m[19, 13] = 0;
        m[20, 20] = 6;                                  // one pixel
        Box(m, 0, 30, 0, 40, 4, 7);                     // on the left and bottom borders
        Box(m, 0, 0, 50, 3, 56, 8);                     // in the top-right corner
        Box(m, 0, 26, 10, 30, 14, 9);                   // two labels sharing an edge
        Box(m, 0, 26, 14, 30, 18, 10);
        Box(m, 0, 24, 24, 31, 31, 11);                  // a frame with an island of its own label in its hole
        Box(m, 0, 26, 26, 29, 29, 0);
        m[27, 27] = 11;
        for (int i = 0; i < 4; i++)
            m[34 + i, 8 + i] = 12;                      // a diagonal staircase of single pixels
        Box(m, 0, 14, 44, 22, 52, 13);                  // a nucleus around another one
        Box(m, 0, 16, 46, 20, 50, 14);
        Box(m, 0, 39, 20, 40, 30, 15);                  // a one-pixel-high strip on the bottom border
        return m;
    }

    /// <summary>A 5 x 20 x 24 volume with 5 nuclei: a ball, a two-part object, one voxel, one on the first slice, a hollow box.</summary>
    public static ImageBuffer<uint> Labels3D()
    {
        var m = new ImageBuffer<uint>(ImageShape.Of3D(5, 20, 24), VoxelSize3D);
        for (int z = 0; z < 5; z++)
        {
            for (int y = 0; y < 20; y++)
            {
                for (int x = 0; x < 24; x++)
                {
                    double dz = (z - 2) * 2.0, dy = (y - 6) * 0.5, dx = (x - 6) * 0.5;
                    if (dz * dz + dy * dy + dx * dx <= 2.6 * 2.6)
                        m[z, y, x] = 1;
                }
            }
        }

        Box(m, 1, 14, 2, 16, 4, 2);                    // two parts in different slices
        Box(m, 3, 16, 6, 18, 9, 2);
        m[2, 10, 12] = 3;                               // one voxel
        Box(m, 0, 2, 14, 5, 18, 4);                     // flat, on the first slice
        for (int z = 1; z < 4; z++)
            Box(m, z, 10, 16, 16, 22, 5);               // a box hollow in its middle slice
        Box(m, 2, 12, 18, 14, 20, 0);
        return m;
    }

    /// <summary>Raw 16-bit-like intensities of the map's shape: a texture, brighter inside nuclei.</summary>
    public static ImageBuffer<float> Image(ImageBuffer<uint> labels)
    {
        var s = labels.Shape;
        var data = new float[labels.Data.Length];
        for (int z = 0, i = 0; z < s.Depth; z++)
        {
            for (int y = 0; y < s.Height; y++)
            {
                for (int x = 0; x < s.Width; x++, i++)
                    data[i] = 100 + (x * 7 + y * 13 + z * 17) % 50 + (labels.Data[i] != 0 ? 900 + 3 * labels.Data[i] : 0);
            }
        }

        return new ImageBuffer<float>(data, s, labels.VoxelSize);
    }

    private static void Disc(ImageBuffer<uint> m, int z, double cy, double cx, double r, uint label)
    {
        for (int y = 0; y < m.Shape.Height; y++)
        {
            for (int x = 0; x < m.Shape.Width; x++)
            {
                if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r)
                    m[z, y, x] = label;
            }
        }
    }

    /// <summary>Sets rows [y0, y1) x columns [x0, x1) of slice z.</summary>
    private static void Box(ImageBuffer<uint> m, int z, int y0, int x0, int y1, int x1, uint label)
    {
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
                m[z, y, x] = label;
        }
    }
}
