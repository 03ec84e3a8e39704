namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// A closed ring of vertices on pixel corners: pixel (x, y) covers [x, x + 1) x [y, y + 1), so a ring's vertex (x, y) is the
/// top-left corner of that pixel. The last vertex connects back to the first (it is not repeated).
/// </summary>
public sealed class OutlineRing
{
    internal OutlineRing(int[] x, int[] y, long doubledArea, int startPixel)
    {
        X = x;
        Y = y;
        DoubledArea = doubledArea;
        StartPixel = startPixel;
    }

    /// <summary>Vertex x coordinates (columns of pixel corners).</summary>
    public IReadOnlyList<int> X { get; }

    /// <summary>Vertex y coordinates (rows of pixel corners).</summary>
    public IReadOnlyList<int> Y { get; }

    /// <summary>Number of vertices.</summary>
    public int Count => X.Count;

    /// <summary>True for a ring around a hole; exterior rings run clockwise on screen (y down), holes the other way.</summary>
    public bool IsHole => DoubledArea < 0;

    /// <summary>Enclosed area in pixels (positive for exterior rings and for holes alike).</summary>
    public long Area => Math.Abs(DoubledArea) / 2;

    /// <summary>Twice the signed shoelace area in screen coordinates: positive for exterior rings, negative for holes.</summary>
    internal long DoubledArea { get; }

    /// <summary>Flat index (in its slice) of a pixel of the object that the ring runs along.</summary>
    internal int StartPixel { get; }
}

/// <summary>One 4-connected part of a nucleus in one slice: its exterior ring and the rings of its holes.</summary>
/// <param name="Exterior">The outer boundary.</param>
/// <param name="Holes">Boundaries of the holes inside it, possibly none.</param>
public sealed record OutlinePolygon(OutlineRing Exterior, IReadOnlyList<OutlineRing> Holes);

/// <summary>The outline of one label in one slice: its 4-connected parts, each with its holes.</summary>
/// <param name="Label">The label of the nucleus.</param>
/// <param name="Z">The slice (0 for a 2D image).</param>
/// <param name="Polygons">The parts, in raster order of their first pixel.</param>
public sealed record NucleusOutline(uint Label, int Z, IReadOnlyList<OutlinePolygon> Polygons)
{
    /// <summary>True when the outline is one ring: one part without holes, drawable as a plain polygon.</summary>
    public bool IsSimplePolygon => Polygons.Count == 1 && Polygons[0].Holes.Count == 0;

    /// <summary>Every ring: each part's exterior followed by its holes.</summary>
    public IEnumerable<OutlineRing> Rings => Polygons.SelectMany(p => p.Holes.Prepend(p.Exterior));

    /// <summary>Area in pixels: the exteriors' areas less the holes'.</summary>
    public long Area => Polygons.Sum(p => p.Exterior.Area - p.Holes.Sum(h => h.Area));
}
