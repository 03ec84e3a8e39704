using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>The common tail of marker-based instance labelling: watershed, unmarked foreground, holes, size and border filters.</summary>
internal static class InstanceAssembly
{
    /// <summary>
    /// Floods <paramref name="surface"/> from <paramref name="markers"/> inside <paramref name="foreground"/>; foreground components
    /// no marker reaches become objects of their own (components by <paramref name="leftoverConnectivity"/>, default
    /// <paramref name="connectivity"/>); then per-object hole filling, size filter, border filter and 1..K numbering.
    /// </summary>
    public static uint[] Assemble(float[] surface, uint[] markers, bool[] foreground, ImageShape shape, Connectivity connectivity, bool fillHoles, double minSize, bool dropBorder, Connectivity? leftoverConnectivity = null)
    {
        uint[] labels = Watershed.FloodCore(surface, markers, foreground, shape, connectivity);
        uint max = 0;
        bool anyLeft = false;
        var left = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > max)
                max = labels[i];
            if (foreground[i] && labels[i] == 0)
                left[i] = anyLeft = true;
        }

        if (anyLeft)
        {
            var extra = ConnectedComponents.LabelCore(left, shape, null, leftoverConnectivity ?? connectivity, out _).Data;
            for (int i = 0; i < labels.Length; i++)
                if (extra[i] != 0)
                    labels[i] = extra[i] + max;
        }

        if (fillHoles)
            HoleFilling.FillPerObjectInPlace(labels, shape, Connectivity.Face);
        ObjectFilters.RemoveSmallObjectsInPlace(labels, minSize);
        if (dropBorder)
            ObjectFilters.DropBorderObjectsInPlace(labels, shape, includeZ: true);
        ObjectFilters.RelabelSequentialInPlace(labels);
        return labels;
    }

    /// <summary>Area of a disk (2D) or volume of a ball (3D) of the given diameter in pixels.</summary>
    public static double DiscSize(double diameter, bool is3D)
        => is3D ? 4.0 / 3.0 * Math.PI * Math.Pow(diameter / 2, 3) : Math.PI * (diameter / 2) * (diameter / 2);
}
