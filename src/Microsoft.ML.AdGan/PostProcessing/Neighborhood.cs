using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Neighbour offsets of a connectivity on a shape; one code path for 2D (depth 1) and 3D.</summary>
internal sealed class Neighborhood
{
    private Neighborhood(ImageShape shape, int[] dz, int[] dy, int[] dx)
    {
        Shape = shape;
        Dz = dz;
        Dy = dy;
        Dx = dx;
        Offsets = new int[dz.Length];
        for (int i = 0; i < dz.Length; i++)
            Offsets[i] = (dz[i] * shape.Height + dy[i]) * shape.Width + dx[i];
    }

    public ImageShape Shape { get; }

    public int[] Dz { get; }

    public int[] Dy { get; }

    public int[] Dx { get; }

    /// <summary>Flat index offsets, valid only where <see cref="IsInside"/> holds.</summary>
    public int[] Offsets { get; }

    public int Count => Offsets.Length;

    /// <summary>All neighbours (both halves).</summary>
    public static Neighborhood Create(ImageShape shape, Connectivity connectivity) => Build(shape, connectivity, backwardOnly: false);

    /// <summary>Only the neighbours that precede the pixel in raster order (for one-pass scans).</summary>
    public static Neighborhood CreateBackward(ImageShape shape, Connectivity connectivity) => Build(shape, connectivity, backwardOnly: true);

    private static Neighborhood Build(ImageShape shape, Connectivity connectivity, bool backwardOnly)
    {
        if (connectivity is not (Connectivity.Face or Connectivity.Full))
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Connectivity must be Face or Full.");
        var dz = new List<int>();
        var dy = new List<int>();
        var dx = new List<int>();
        int zr = shape.Is3D ? 1 : 0;
        for (int z = -zr; z <= zr; z++)
        {
            for (int y = -1; y <= 1; y++)
            {
                for (int x = -1; x <= 1; x++)
                {
                    int manhattan = Math.Abs(z) + Math.Abs(y) + Math.Abs(x);
                    if (manhattan == 0 || (connectivity == Connectivity.Face && manhattan > 1))
                        continue;
                    bool backward = z < 0 || (z == 0 && (y < 0 || (y == 0 && x < 0)));
                    if (backwardOnly && !backward)
                        continue;
                    dz.Add(z);
                    dy.Add(y);
                    dx.Add(x);
                }
            }
        }

        return new Neighborhood(shape, dz.ToArray(), dy.ToArray(), dx.ToArray());
    }

    /// <summary>True when neighbour <paramref name="i"/> of (z, y, x) lies inside the image.</summary>
    public bool IsInside(int i, int z, int y, int x)
    {
        int nz = z + Dz[i], ny = y + Dy[i], nx = x + Dx[i];
        return (uint)nz < (uint)Shape.Depth && (uint)ny < (uint)Shape.Height && (uint)nx < (uint)Shape.Width;
    }

    /// <summary>True when (z, y, x) is at least one pixel away from every face, so every neighbour is inside.</summary>
    public bool IsInterior(int z, int y, int x)
        => (!Shape.Is3D || (z > 0 && z < Shape.Depth - 1)) && y > 0 && y < Shape.Height - 1 && x > 0 && x < Shape.Width - 1;
}
