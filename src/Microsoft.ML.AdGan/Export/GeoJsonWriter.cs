using System.Text.Json;
using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Writes outlines as GeoJSON the way QuPath reads it (File &gt; Import objects): a FeatureCollection with one feature per
/// nucleus and slice, in pixel coordinates of the full-resolution image with (0, 0) at the top-left corner of the top-left
/// pixel (QuPath's convention, not RFC 7946 longitude/latitude). A nucleus of one part is a Polygon, one of several parts a
/// MultiPolygon; holes are interior rings. Exterior rings are counter-clockwise and holes clockwise in the coordinates as
/// written (RFC 7946's winding). Properties: objectType ("detection" or "annotation"), name (the label) and a "Label"
/// measurement. A volume gives one feature per slice that holds the nucleus, with QuPath's "plane" member (z = slice,
/// 0-based) on the geometry; the features of one nucleus share its name.
/// </summary>
public static class GeoJsonWriter
{
    /// <summary>Writes the FeatureCollection to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<NucleusOutline> outlines, bool isVolume, QuPathObjectType objectType = QuPathObjectType.Detection)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MicroscopyImageWriter.WriteAtomically(path, s => Write(s, outlines, isVolume, objectType));
    }

    /// <summary>Writes the FeatureCollection (UTF-8) to a stream.</summary>
    public static void Write(Stream stream, IReadOnlyList<NucleusOutline> outlines, bool isVolume, QuPathObjectType objectType = QuPathObjectType.Detection)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(outlines);
        string type = objectType switch
        {
            QuPathObjectType.Detection => "detection",
            QuPathObjectType.Annotation => "annotation",
            _ => throw new ArgumentOutOfRangeException(nameof(objectType), objectType, "Object type must be Detection or Annotation."),
        };
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var outline in outlines)
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("geometry");
            bool multi = outline.Polygons.Count > 1;
            w.WriteString("type", multi ? "MultiPolygon" : "Polygon");
            w.WriteStartArray("coordinates");
            foreach (var polygon in outline.Polygons)
            {
                if (multi)
                    w.WriteStartArray();
                WriteRing(w, polygon.Exterior);
                foreach (var hole in polygon.Holes)
                    WriteRing(w, hole);
                if (multi)
                    w.WriteEndArray();
            }

            w.WriteEndArray();
            if (isVolume)
            {
                w.WriteStartObject("plane");
                w.WriteNumber("c", -1);
                w.WriteNumber("z", outline.Z);
                w.WriteNumber("t", 0);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("objectType", type);
            w.WriteString("name", outline.Label.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartObject("measurements");
            w.WriteNumber("Label", outline.Label);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A closed linear ring: the vertices, then the first again.</summary>
    private static void WriteRing(Utf8JsonWriter w, OutlineRing ring)
    {
        w.WriteStartArray();
        for (int i = 0; i <= ring.Count; i++)
        {
            int k = i == ring.Count ? 0 : i;
            w.WriteStartArray();
            w.WriteNumberValue(ring.X[k]);
            w.WriteNumberValue(ring.Y[k]);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
