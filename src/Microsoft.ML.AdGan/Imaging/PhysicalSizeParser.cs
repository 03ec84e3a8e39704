using System.Globalization;
using System.Xml.Linq;

namespace Microsoft.ML.AdGan.Imaging;

/// <summary>Reads pixel or voxel sizes (micrometres) from OME-XML, ImageJ descriptions and resolution tags.</summary>
internal static class PhysicalSizeParser
{
    private const double MicrometresPerInch = 25_400, MicrometresPerCentimetre = 10_000;

    /// <summary>The size from a TIFF page: OME-XML first, then the ImageJ description, then XResolution/YResolution with ResolutionUnit.</summary>
    public static VoxelSize? FromTiff(TiffDirectory page)
    {
        if (FromOmeXml(page.ImageDescription) is { } ome)
            return ome;
        var imageJ = ParseImageJ(page.ImageDescription);
        if (imageJ is not null && page.XResolution is { } xr && imageJ.TryGetValue("unit", out var unitName)
            && UnitToMicrometres(unitName) is { } unit)
        {
            double x = unit / xr, y = unit / (page.YResolution ?? xr);
            double z = imageJ.TryGetValue("spacing", out var s) && TryParse(s, out var spacing) ? Math.Abs(spacing) * unit : 0;
            return Valid(new VoxelSize(z, y, x));
        }

        if (page.XResolution is { } xres)
        {
            double? perUnit = page.ResolutionUnit switch { 2 => MicrometresPerInch, 3 => MicrometresPerCentimetre, _ => null };
            if (perUnit is { } u && !IsScreenDefault(xres, page.ResolutionUnit == 2 ? 1 : 2.54))
                return Valid(new VoxelSize(0, u / (page.YResolution ?? xres), u / xres));
        }

        return null;
    }

    /// <summary>The size from ImageSharp's resolution metadata (PNG pHYs, JPEG JFIF, BMP); 72 and 96 dpi software defaults are ignored.</summary>
    public static VoxelSize? FromResolution(double horizontal, double vertical, SixLabors.ImageSharp.Metadata.PixelResolutionUnit unit)
    {
        double inchesPerUnit = unit switch
        {
            SixLabors.ImageSharp.Metadata.PixelResolutionUnit.PixelsPerInch => 1,
            SixLabors.ImageSharp.Metadata.PixelResolutionUnit.PixelsPerCentimeter => 1 / 2.54,
            SixLabors.ImageSharp.Metadata.PixelResolutionUnit.PixelsPerMeter => 100 / 2.54,
            _ => 0,
        };
        if (inchesPerUnit == 0 || horizontal <= 0 || IsScreenDefault(horizontal, 1 / inchesPerUnit))
            return null;
        double micrometresPerUnit = MicrometresPerInch * inchesPerUnit;
        return Valid(new VoxelSize(0, micrometresPerUnit / (vertical > 0 ? vertical : horizontal), micrometresPerUnit / horizontal));
    }

    /// <summary>True when a resolution is 72 or 96 dots per inch (within 1%), the defaults that image software writes without any calibration.</summary>
    private static bool IsScreenDefault(double resolution, double unitsPerInch)
    {
        double dpi = resolution * unitsPerInch;
        return Math.Abs(dpi - 72) < 0.72 || Math.Abs(dpi - 96) < 0.96;
    }

    /// <summary>The key=value lines of an ImageJ description, or null when the description is not ImageJ's.</summary>
    public static Dictionary<string, string>? ParseImageJ(string? description)
    {
        if (description is null || !description.StartsWith("ImageJ=", StringComparison.Ordinal))
            return null;
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in description.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = line.IndexOf('=');
            if (eq > 0)
                result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }

        return result;
    }

    /// <summary>The Pixels element's PhysicalSizeX/Y/Z of an OME-XML description, converted to micrometres.</summary>
    public static VoxelSize? FromOmeXml(string? description)
    {
        if (description is null || !description.Contains("<OME", StringComparison.Ordinal))
            return null;
        XElement? pixels;
        try
        {
            pixels = XDocument.Parse(description).Descendants().FirstOrDefault(e => e.Name.LocalName == "Pixels");
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }

        if (pixels is null)
            return null;
        double Get(string axis)
        {
            var value = (string?)pixels.Attribute("PhysicalSize" + axis);
            if (value is null || !TryParse(value, out var v))
                return 0;
            var unit = UnitToMicrometres((string?)pixels.Attribute("PhysicalSize" + axis + "Unit") ?? "µm");
            return unit is { } u ? v * u : 0;
        }

        return Valid(new VoxelSize(Get("Z"), Get("Y"), Get("X")));
    }

    /// <summary>Micrometres in one of the named unit, or null for pixels or an unknown unit.</summary>
    public static double? UnitToMicrometres(string unit)
    {
        var u = unit.Trim().Replace("\\u00B5", "µ", StringComparison.OrdinalIgnoreCase).Replace('\u03BC', 'µ');
        return u.ToLowerInvariant() switch
        {
            "µm" or "um" or "micron" or "microns" or "micrometer" or "micrometre" => 1.0,
            "nm" or "nanometer" or "nanometre" => 1e-3,
            "å" or "angstrom" => 1e-4,
            "mm" or "millimeter" or "millimetre" => 1e3,
            "cm" or "centimeter" or "centimetre" => 1e4,
            "m" or "meter" or "metre" => 1e6,
            "inch" or "in" or "inches" => MicrometresPerInch,
            _ => null,
        };
    }

    private static bool TryParse(string s, out double v)
        => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    private static VoxelSize? Valid(VoxelSize size) => size.IsValid ? size : null;
}
