using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// <see cref="InstanceLabelMode.DistancePeaks"/>: a map that rises from each nucleus' edge to its centre (a predicted distance
/// map) is split where it says, not where the foreground's shape says. Markers are the map's local maxima above
/// <see cref="InstanceLabelOptions.CoreThreshold"/> at least <see cref="InstanceLabelOptions.MinMarkerDistance"/> apart (disk
/// footprint, per foreground component); the negated map is flooded from them inside the foreground; then the common tail
/// (unmarked foreground as objects, holes, size and border filters).
/// </summary>
internal static class DistancePeakLabeling
{
    /// <summary>Labels <paramref name="map"/> at its own size; <paramref name="foreground"/> is map &gt; ForegroundThreshold.</summary>
    public static ImageBuffer<uint> Label(ImageBuffer<float> map, bool[] foreground, InstanceLabelOptions options)
    {
        var shape = map.Shape;
        var components = ConnectedComponents.Label(new ImageBuffer<bool>(foreground, shape), Connectivity.Full);
        var peaks = PeakDetection.FindPeaks(map, options.MinMarkerDistance, components, diskFootprint: true, excludeBorder: false, threshold: options.CoreThreshold);
        var markers = new uint[foreground.Length];
        uint next = 0;
        foreach (int p in peaks)
            markers[p] = ++next;
        var surface = new float[foreground.Length];
        for (int i = 0; i < surface.Length; i++)
            surface[i] = -map.Data[i];
        var labels = InstanceAssembly.Assemble(surface, markers, foreground, shape, options.Connectivity, options.FillHoles, options.MinObjectSize, options.DropBorderObjects, Connectivity.Full);
        return new ImageBuffer<uint>(labels, shape, map.VoxelSize);
    }
}
