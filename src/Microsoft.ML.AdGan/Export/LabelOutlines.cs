using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Traces the outlines of every label of a label map along pixel edges, slice by slice, so that filling an outline (a pixel
/// is inside when its centre is) gives back exactly the label's pixels. Parts are 4-connected: two pixels that touch only at
/// a corner belong to different parts unless the object connects them another way, in which case the corner splits the
/// boundary into an exterior and a hole that touch at that point. So every ring is simple and every polygon is valid in the
/// OGC sense, and a nucleus with holes, several parts or corner-only links comes out as several rings.
/// </summary>
public static class LabelOutlines
{
    // Directions E, S, W, N in image coordinates (y down); an edge runs with its pixel on the right.
    private static readonly int[] Dx = { 1, 0, -1, 0 };
    private static readonly int[] Dy = { 0, 1, 0, -1 };

    // Start corner of the edge on side d of a pixel: top (E), right (S), bottom (W), left (N).
    private static readonly int[] CornerX = { 0, 1, 1, 0 };
    private static readonly int[] CornerY = { 0, 0, 1, 1 };

    /// <summary>The outlines of every nonzero label, ordered by label and then slice (one per slice that holds the label).</summary>
    public static IReadOnlyList<NucleusOutline> Trace(ImageBuffer<uint> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var shape = labels.Shape;
        int h = shape.Height, w = shape.Width, plane = h * w;
        var result = new List<NucleusOutline>();
        for (int z = 0; z < shape.Depth; z++)
        {
            var slice = shape.Depth == 1 ? labels.Data : labels.Data.AsSpan(z * plane, plane).ToArray();
            result.AddRange(TraceSlice(slice, h, w, z));
        }

        result.Sort((a, b) => a.Label != b.Label ? a.Label.CompareTo(b.Label) : a.Z.CompareTo(b.Z));
        return result;
    }

    private static IEnumerable<NucleusOutline> TraceSlice(uint[] d, int h, int w, int z)
    {
        var parts = ConnectedComponents.SplitDisconnected(new ImageBuffer<uint>(d, ImageShape.Of2D(h, w)), Connectivity.Face, out _).Data;
        var visited = new byte[d.Length];
        var rings = new Dictionary<uint, List<OutlineRing>>();
        for (int i = 0; i < d.Length; i++)
        {
            uint l = d[i];
            if (l == 0)
                continue;
            int x = i % w, y = i / w;
            for (int side = 0; side < 4; side++)
            {
                if ((visited[i] & (1 << side)) != 0)
                    continue;
                int left = (side + 3) & 3;
                if (At(d, h, w, x + Dx[left], y + Dy[left]) == l)
                    continue;
                if (!rings.TryGetValue(l, out var list))
                    rings[l] = list = new List<OutlineRing>();
                list.Add(TraceRing(d, parts, visited, h, w, x, y, side));
            }
        }

        foreach (var (label, list) in rings)
            yield return new NucleusOutline(label, z, Group(list, parts));
    }

    /// <summary>Follows the boundary edges of one label from (x0, y0, side) until it closes; vertices only where it turns.</summary>
    private static OutlineRing TraceRing(uint[] d, uint[] parts, byte[] visited, int h, int w, int x0, int y0, int side0)
    {
        uint l = d[y0 * w + x0];
        var xs = new List<int> { x0 + CornerX[side0] };
        var ys = new List<int> { y0 + CornerY[side0] };
        int px = x0, py = y0, dir = side0;
        while (true)
        {
            visited[py * w + px] |= (byte)(1 << dir);
            int ax = px + Dx[dir], ay = py + Dy[dir];
            int left = (dir + 3) & 3;
            int lx = ax + Dx[left], ly = ay + Dy[left];
            bool ahead = At(d, h, w, ax, ay) == l, aheadLeft = At(d, h, w, lx, ly) == l;
            int next;
            if (!ahead)
            {
                // A corner-only neighbour joins this ring when the object connects the two pixels elsewhere (exterior and
                // hole then meet at this corner); otherwise the ring turns right and the neighbour gets a ring of its own.
                if (aheadLeft && parts[ly * w + lx] == parts[py * w + px])
                {
                    px = lx;
                    py = ly;
                    next = left;
                }
                else
                {
                    next = (dir + 1) & 3;
                }
            }
            else if (!aheadLeft)
            {
                px = ax;
                py = ay;
                next = dir;
            }
            else
            {
                px = lx;
                py = ly;
                next = left;
            }

            bool closed = px == x0 && py == y0 && next == side0;
            if (closed)
            {
                if (next == dir)
                {
                    xs.RemoveAt(0); // the start lies in the middle of a straight run
                    ys.RemoveAt(0);
                }

                break;
            }

            if (next != dir)
            {
                xs.Add(px + CornerX[next]);
                ys.Add(py + CornerY[next]);
            }

            dir = next;
        }

        long twice = 0;
        for (int i = 0, n = xs.Count; i < n; i++)
        {
            int j = i + 1 == n ? 0 : i + 1;
            twice += (long)xs[i] * ys[j] - (long)xs[j] * ys[i];
        }

        return new OutlineRing(xs.ToArray(), ys.ToArray(), twice, y0 * w + x0);
    }

    /// <summary>Pairs each hole with the exterior of the same 4-connected part; parts in raster order.</summary>
    private static IReadOnlyList<OutlinePolygon> Group(List<OutlineRing> rings, uint[] parts)
    {
        var exteriors = new List<OutlineRing>();
        var holes = new Dictionary<uint, List<OutlineRing>>();
        foreach (var ring in rings)
        {
            if (!ring.IsHole)
            {
                exteriors.Add(ring);
                continue;
            }

            uint part = parts[ring.StartPixel];
            if (!holes.TryGetValue(part, out var list))
                holes[part] = list = new List<OutlineRing>();
            list.Add(ring);
        }

        exteriors.Sort((a, b) => a.StartPixel.CompareTo(b.StartPixel));
        var result = new List<OutlinePolygon>(exteriors.Count);
        foreach (var exterior in exteriors)
        {
            uint part = parts[exterior.StartPixel];
            result.Add(new OutlinePolygon(exterior, holes.Remove(part, out var own) ? own : Array.Empty<OutlineRing>()));
        }

        if (holes.Count > 0)
            throw new InvalidOperationException("A hole ring was traced without the exterior of its part.");
        return result;
    }

    private static uint At(uint[] d, int h, int w, int x, int y)
        => (uint)x < (uint)w && (uint)y < (uint)h ? d[y * w + x] : 0;
}
