namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Counts the pixels or voxels of an object's convex hull as scikit-image's convex_hull_image does: the hull of the points
/// half a pixel from each pixel centre along every axis (the midpoints of its faces), and every pixel whose centre lies in or
/// on that hull. Coordinates are doubled so that every test is exact integer arithmetic.
/// </summary>
internal static class ConvexHullCount
{
    /// <summary>A half-space n . p &lt;= D in doubled coordinates.</summary>
    private readonly record struct HalfSpace(long Nx, long Ny, long Nz, long D);

    /// <summary>
    /// Pixels (voxels) with centres in the hull. <paramref name="rowEnds"/> holds, for every row (z, y) of the object, its first and
    /// last x; the hull's corners are among them. The count covers the box [z0, z1) x [y0, y1) x [x0, x1).
    /// </summary>
    public static long Count(IReadOnlyList<(int Z, int Y, int FirstX, int LastX)> rowEnds, bool is3D, int z0, int z1, int y0, int y1, int x0, int x1)
    {
        var points = new HashSet<(long X, long Y, long Z)>();
        foreach (var (z, y, first, last) in rowEnds)
        {
            foreach (int x in first == last ? new[] { first } : new[] { first, last })
            {
                long px = 2L * x, py = 2L * y, pz = 2L * z;
                points.Add((px - 1, py, pz));
                points.Add((px + 1, py, pz));
                points.Add((px, py - 1, pz));
                points.Add((px, py + 1, pz));
                if (is3D)
                {
                    points.Add((px, py, pz - 1));
                    points.Add((px, py, pz + 1));
                }
            }
        }

        var hull = is3D ? Hull3D(points.ToList()) : Hull2D(points.ToList());
        long count = 0;
        for (int z = z0; z < z1; z++)
        {
            for (int y = y0; y < y1; y++)
            {
                // Each half-space bounds X = 2x on this row from one side.
                long lo = 2L * x0, hi = 2L * (x1 - 1);
                foreach (var h in hull)
                {
                    long rest = h.D - h.Ny * 2L * y - h.Nz * 2L * z;
                    if (h.Nx > 0)
                        hi = Math.Min(hi, FloorDiv(rest, h.Nx));
                    else if (h.Nx < 0)
                        lo = Math.Max(lo, CeilDiv(rest, h.Nx));
                    else if (rest < 0)
                        lo = long.MaxValue;
                    if (lo > hi)
                        break;
                }

                if (lo <= hi)
                {
                    long first = CeilDiv(lo, 2), last = FloorDiv(hi, 2);
                    if (last >= first)
                        count += last - first + 1;
                }
            }
        }

        return count;
    }

    /// <summary>Andrew's monotone chain; the edges as half-spaces oriented towards the vertices' mean.</summary>
    private static List<HalfSpace> Hull2D(List<(long X, long Y, long Z)> points)
    {
        points.Sort();
        var lower = new List<(long X, long Y)>();
        var upper = new List<(long X, long Y)>();
        foreach (var p in points)
        {
            while (lower.Count >= 2 && Cross(lower[^2], lower[^1], (p.X, p.Y)) <= 0)
                lower.RemoveAt(lower.Count - 1);
            lower.Add((p.X, p.Y));
        }

        for (int i = points.Count - 1; i >= 0; i--)
        {
            var p = points[i];
            while (upper.Count >= 2 && Cross(upper[^2], upper[^1], (p.X, p.Y)) <= 0)
                upper.RemoveAt(upper.Count - 1);
            upper.Add((p.X, p.Y));
        }

        lower.RemoveAt(lower.Count - 1);
        upper.RemoveAt(upper.Count - 1);
        var hull = lower.Concat(upper).ToList();
        long sx = hull.Sum(v => v.X), sy = hull.Sum(v => v.Y), n = hull.Count;
        var result = new List<HalfSpace>(hull.Count);
        for (int i = 0; i < hull.Count; i++)
        {
            var a = hull[i];
            var b = hull[(i + 1) % hull.Count];
            long nx = b.Y - a.Y, ny = a.X - b.X;
            long d = nx * a.X + ny * a.Y;
            // Orient so the vertices' mean is inside (n . mean <= d, compared after multiplying by the count).
            if (nx * sx + ny * sy > n * d)
                result.Add(new HalfSpace(-nx, -ny, 0, -d));
            else
                result.Add(new HalfSpace(nx, ny, 0, d));
        }

        return result;
    }

    private static long Cross((long X, long Y) o, (long X, long Y) a, (long X, long Y) b)
        => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);

    /// <summary>Incremental 3D hull with exact arithmetic; faces as half-spaces (coplanar faces may repeat a plane).</summary>
    private static List<HalfSpace> Hull3D(List<(long X, long Y, long Z)> points)
    {
        points.Sort();
        int n = points.Count;
        int a = 0, b = -1, c = -1, d = -1;
        for (int i = 1; i < n && b < 0; i++)
        {
            if (points[i] != points[a])
                b = i;
        }

        for (int i = 1; i < n && c < 0; i++)
        {
            if (i != b && !IsZero(Normal(points[a], points[b], points[i])))
                c = i;
        }

        for (int i = 1; i < n && d < 0; i++)
        {
            if (i != b && i != c && Orient(points[a], points[b], points[c], points[i]) != 0)
                d = i;
        }

        if (b < 0 || c < 0 || d < 0)
            throw new InvalidOperationException("The hull's points span fewer than three dimensions.");

        // Four times the tetrahedron's centroid: strictly inside every face of every later hull.
        var inside4 = (points[a].X + points[b].X + points[c].X + points[d].X, points[a].Y + points[b].Y + points[c].Y + points[d].Y, points[a].Z + points[b].Z + points[c].Z + points[d].Z);
        var faces = new List<(int A, int B, int C)>();
        void AddFace(int p, int q, int r)
        {
            var nrm = Normal(points[p], points[q], points[r]);
            long side = nrm.X * (inside4.Item1 - 4 * points[p].X) + nrm.Y * (inside4.Item2 - 4 * points[p].Y) + nrm.Z * (inside4.Item3 - 4 * points[p].Z);
            faces.Add(side < 0 ? (p, q, r) : (p, r, q));
        }

        AddFace(a, b, c);
        AddFace(a, b, d);
        AddFace(a, c, d);
        AddFace(b, c, d);
        var order = Enumerable.Range(0, n).Where(i => i != a && i != b && i != c && i != d).ToArray();
        new Random(12345).Shuffle(order);
        var visibleEdges = new HashSet<(int, int)>();
        foreach (int p in order)
        {
            visibleEdges.Clear();
            var kept = new List<(int A, int B, int C)>(faces.Count);
            foreach (var f in faces)
            {
                if (Orient(points[f.A], points[f.B], points[f.C], points[p]) > 0)
                {
                    visibleEdges.Add((f.A, f.B));
                    visibleEdges.Add((f.B, f.C));
                    visibleEdges.Add((f.C, f.A));
                }
                else
                {
                    kept.Add(f);
                }
            }

            if (visibleEdges.Count == 0)
                continue;
            foreach (var (u, v) in visibleEdges)
            {
                if (!visibleEdges.Contains((v, u)))
                    kept.Add((u, v, p));
            }

            faces = kept;
        }

        var result = new List<HalfSpace>(faces.Count);
        foreach (var f in faces)
        {
            var nrm = Normal(points[f.A], points[f.B], points[f.C]);
            result.Add(new HalfSpace(nrm.X, nrm.Y, nrm.Z, nrm.X * points[f.A].X + nrm.Y * points[f.A].Y + nrm.Z * points[f.A].Z));
        }

        return result;
    }

    private static (long X, long Y, long Z) Normal((long X, long Y, long Z) a, (long X, long Y, long Z) b, (long X, long Y, long Z) c)
    {
        long ux = b.X - a.X, uy = b.Y - a.Y, uz = b.Z - a.Z;
        long vx = c.X - a.X, vy = c.Y - a.Y, vz = c.Z - a.Z;
        return (uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
    }

    /// <summary>Positive when <paramref name="p"/> lies on the side the normal of (a, b, c) points to.</summary>
    private static long Orient((long X, long Y, long Z) a, (long X, long Y, long Z) b, (long X, long Y, long Z) c, (long X, long Y, long Z) p)
    {
        var nrm = Normal(a, b, c);
        return Math.Sign(nrm.X * (p.X - a.X) + nrm.Y * (p.Y - a.Y) + nrm.Z * (p.Z - a.Z));
    }

    private static bool IsZero((long X, long Y, long Z) v) => v.X == 0 && v.Y == 0 && v.Z == 0;

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    private static long CeilDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
    }
}
