using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Marker-based watershed by priority flooding (as skimage.segmentation.watershed, non-compact): pixels are taken in
/// order of surface value, ties by insertion age then index, so the result is deterministic. O(n log n).
/// </summary>
public static class Watershed
{
    /// <summary>
    /// Floods <paramref name="surface"/> from the nonzero <paramref name="markers"/> (their labels are kept) through the
    /// true pixels of <paramref name="mask"/> (null: everywhere); pixels no marker reaches stay 0.
    /// </summary>
    public static ImageBuffer<uint> Flood(ImageBuffer<float> surface, ImageBuffer<uint> markers, ImageBuffer<bool>? mask = null, Connectivity connectivity = Connectivity.Full)
    {
        ArgumentNullException.ThrowIfNull(surface);
        ArgumentNullException.ThrowIfNull(markers);
        if (surface.Shape != markers.Shape)
            throw new ArgumentException($"Markers {markers.Shape} and surface {surface.Shape} differ in size.", nameof(markers));
        if (mask is not null && mask.Shape != surface.Shape)
            throw new ArgumentException($"Mask {mask.Shape} and surface {surface.Shape} differ in size.", nameof(mask));
        var output = FloodCore(surface.Data, markers.Data, mask?.Data, surface.Shape, connectivity);
        return new ImageBuffer<uint>(output, surface.Shape, surface.VoxelSize);
    }

    internal static uint[] FloodCore(float[] surface, uint[] markers, bool[]? mask, ImageShape shape, Connectivity connectivity)
    {
        var nb = Neighborhood.Create(shape, connectivity);
        var output = new uint[surface.Length];
        var heap = new MinHeap(1024);
        for (int i = 0; i < markers.Length; i++)
        {
            if (markers[i] == 0 || (mask is not null && !mask[i]))
                continue;
            output[i] = markers[i];
            heap.Push(new Entry(surface[i], 0, i));
        }

        long age = 0;
        int w = shape.Width, hw = shape.Height * shape.Width;
        int[] offsets = nb.Offsets;
        while (heap.Count > 0)
        {
            Entry e = heap.Pop();
            int p = e.Index;
            int z = p / hw, rem = p - z * hw, y = rem / w, x = rem - y * w;
            bool interior = nb.IsInterior(z, y, x);
            uint label = output[p];
            for (int i = 0; i < offsets.Length; i++)
            {
                if (!interior && !nb.IsInside(i, z, y, x))
                    continue;
                int n = p + offsets[i];
                if (output[n] != 0 || (mask is not null && !mask[n]))
                    continue;
                output[n] = label;
                heap.Push(new Entry(surface[n], ++age, n));
            }
        }

        return output;
    }

    internal readonly record struct Entry(float Value, long Age, int Index)
    {
        public bool LessThan(in Entry other)
        {
            if (Value != other.Value)
                return Value < other.Value;
            if (Age != other.Age)
                return Age < other.Age;
            return Index < other.Index;
        }
    }

    /// <summary>A binary min-heap of entries; NaN values sort last.</summary>
    internal sealed class MinHeap
    {
        private Entry[] _items;

        public MinHeap(int capacity) => _items = new Entry[Math.Max(capacity, 4)];

        public int Count { get; private set; }

        public void Push(Entry e)
        {
            if (float.IsNaN(e.Value))
                e = e with { Value = float.PositiveInfinity };
            if (Count == _items.Length)
                Array.Resize(ref _items, _items.Length * 2);
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!e.LessThan(_items[parent]))
                    break;
                _items[i] = _items[parent];
                i = parent;
            }

            _items[i] = e;
        }

        public Entry Pop()
        {
            Entry top = _items[0];
            Entry last = _items[--Count];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= Count)
                    break;
                if (child + 1 < Count && _items[child + 1].LessThan(_items[child]))
                    child++;
                if (!_items[child].LessThan(last))
                    break;
                _items[i] = _items[child];
                i = child;
            }

            if (Count > 0)
                _items[i] = last;
            return top;
        }
    }
}
