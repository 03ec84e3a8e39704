using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Export;

/// <summary>
/// Measures every nucleus of a label map (2D or 3D) as scikit-image's regionprops defines the quantities, and writes them as
/// a CSV table, one row per nucleus. Intensities come from the input image's selected channel in the file's raw units.
/// </summary>
public static class NucleusMeasurements
{
    /// <summary>
    /// Measures each nonzero label, in increasing label order. <paramref name="image"/> (raw intensities, same shape) is
    /// optional; <paramref name="voxelSize"/> defaults to the label map's, then the image's, and may be absent.
    /// </summary>
    public static IReadOnlyList<NucleusMeasurement> Measure(ImageBuffer<uint> labels, ImageBuffer<float>? image = null, VoxelSize? voxelSize = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var shape = labels.Shape;
        if (image is not null && image.Shape != shape)
            throw new ArgumentException($"The image is {image.Shape} but the label map is {shape}; intensities need the same shape.", nameof(image));
        var size = voxelSize ?? labels.VoxelSize ?? image?.VoxelSize;
        double? pixelPhysical = PhysicalSizeOfOne(size, shape.Is3D);
        var data = labels.Data;
        var moments = shape.Is3D ? null : ObjectShapes.Measure(labels).ToDictionary(s => s.Label);
        int ndim = shape.Is3D ? 3 : 2;
        var result = new List<NucleusMeasurement>();
        foreach (var (label, box) in BoundingBoxes.Compute(data, shape))
        {
            double sumZ = 0, sumY = 0, sumX = 0, sumI = 0;
            float maxI = float.NegativeInfinity;
            bool border = false;
            var rowEnds = new List<(int Z, int Y, int FirstX, int LastX)>();
            for (int z = box.Z0; z < box.Z1; z++)
            {
                for (int y = box.Y0; y < box.Y1; y++)
                {
                    int first = -1, last = -1;
                    int row = shape.IndexOf(z, y, 0);
                    for (int x = box.X0; x < box.X1; x++)
                    {
                        if (data[row + x] != label)
                            continue;
                        if (first < 0)
                            first = x;
                        last = x;
                        sumZ += z;
                        sumY += y;
                        sumX += x;
                        if (image is not null)
                        {
                            float v = image.Data[row + x];
                            sumI += v;
                            if (v > maxI || float.IsNaN(v))
                                maxI = v;
                        }
                    }

                    if (first >= 0)
                        rowEnds.Add((z, y, first, last));
                }
            }

            border = box.Y0 == 0 || box.X0 == 0 || box.Y1 == shape.Height || box.X1 == shape.Width
                || (shape.Is3D && (box.Z0 == 0 || box.Z1 == shape.Depth));
            long n = box.Size;
            long hull = ConvexHullCount.Count(rowEnds, shape.Is3D, box.Z0, box.Z1, box.Y0, box.Y1, box.X0, box.X1);
            double? physical = pixelPhysical * n;
            double? eccentricity = null;
            if (moments is not null)
            {
                var m = moments[label];
                eccentricity = m.SemiMajorAxis > 0 ? Math.Sqrt(Math.Max(0, 1 - Square(m.SemiMinorAxis / m.SemiMajorAxis))) : 0;
            }

            result.Add(new NucleusMeasurement(label, n, physical, (sumZ / n, sumY / n, sumX / n), (box.Z0, box.Y0, box.X0), (box.Z1, box.Y1, box.X1),
                EquivalentDiameter(n, ndim), physical is double p ? EquivalentDiameter(p, ndim) : null, eccentricity, (double)n / hull,
                image is null ? null : sumI / n, image is null ? null : sumI, image is null ? null : maxI, border));
        }

        return result;
    }

    /// <summary>Writes the table to <paramref name="path"/> (see <see cref="WriteCsv(TextWriter, IReadOnlyList{NucleusMeasurement}, bool, string?)"/>).</summary>
    public static void WriteCsv(string path, IReadOnlyList<NucleusMeasurement> rows, bool is3D, string? imageName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MicroscopyImageWriter.WriteAtomically(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            WriteCsv(w, rows, is3D, imageName);
        });
    }

    /// <summary>
    /// Writes a header and one row per nucleus. Column names give units and axis order: area_px / area_um2 (volume_vox /
    /// volume_um3), centroid_[z,]y,x and bbox_min_[z,]y,x / bbox_max_[z,]y,x in pixel indices (max exclusive), equivalent
    /// diameters, eccentricity (2D only), solidity, mean / integrated / max intensity (raw units) and touches_border
    /// (true/false). Unknown values are left blank.
    /// </summary>
    public static void WriteCsv(TextWriter writer, IReadOnlyList<NucleusMeasurement> rows, bool is3D, string? imageName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        var columns = new List<string> { "image", "label" };
        columns.AddRange(is3D
            ? new[] { "volume_vox", "volume_um3", "centroid_z", "centroid_y", "centroid_x", "bbox_min_z", "bbox_min_y", "bbox_min_x", "bbox_max_z", "bbox_max_y", "bbox_max_x", "equivalent_diameter_vox", "equivalent_diameter_um" }
            : new[] { "area_px", "area_um2", "centroid_y", "centroid_x", "bbox_min_y", "bbox_min_x", "bbox_max_y", "bbox_max_x", "equivalent_diameter_px", "equivalent_diameter_um", "eccentricity" });
        columns.AddRange(new[] { "solidity", "mean_intensity", "integrated_intensity", "max_intensity", "touches_border" });
        writer.WriteLine(string.Join(',', columns));
        string image = Quote(imageName ?? string.Empty);
        foreach (var r in rows)
        {
            var cells = new List<string> { image, r.Label.ToString(CultureInfo.InvariantCulture), r.Size.ToString(CultureInfo.InvariantCulture), Number(r.PhysicalSize) };
            if (is3D)
                cells.Add(Number(r.CentroidZ));
            cells.Add(Number(r.CentroidY));
            cells.Add(Number(r.CentroidX));
            if (is3D)
                cells.Add(r.MinZ.ToString(CultureInfo.InvariantCulture));
            cells.Add(r.MinY.ToString(CultureInfo.InvariantCulture));
            cells.Add(r.MinX.ToString(CultureInfo.InvariantCulture));
            if (is3D)
                cells.Add(r.MaxZ.ToString(CultureInfo.InvariantCulture));
            cells.Add(r.MaxY.ToString(CultureInfo.InvariantCulture));
            cells.Add(r.MaxX.ToString(CultureInfo.InvariantCulture));
            cells.Add(Number(r.EquivalentDiameter));
            cells.Add(Number(r.PhysicalEquivalentDiameter));
            if (!is3D)
                cells.Add(Number(r.Eccentricity));
            cells.Add(Number(r.Solidity));
            cells.Add(Number(r.MeanIntensity));
            cells.Add(Number(r.IntegratedIntensity));
            cells.Add(Number(r.MaxIntensity));
            cells.Add(r.TouchesBorder ? "true" : "false");
            writer.WriteLine(string.Join(',', cells));
        }
    }

    /// <summary>Area of one pixel (µm²) or volume of one voxel (µm³), or null when not known.</summary>
    private static double? PhysicalSizeOfOne(VoxelSize? size, bool is3D)
    {
        if (size is not { IsValid: true } v)
            return null;
        if (!is3D)
            return v.X * v.Y;
        return v.Z > 0 && double.IsFinite(v.Z) ? v.X * v.Y * v.Z : null;
    }

    private static double EquivalentDiameter(double size, int ndim) => Math.Pow(2 * ndim * size / Math.PI, 1.0 / ndim);

    private static double Square(double v) => v * v;

    private static string Number(double? v) => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static string Quote(string s) => s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
