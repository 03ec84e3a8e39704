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
        int w = shape.Width, hw = shape.Height * shape.Width;
        int[] offsets = nb.Offsets;
        for (int i = 0; i < markers.Length; i++)
            if (markers[i] != 0 && (mask is null || mask[i]))
                output[i] = markers[i];

        // Heap keys pack (sortable value, age) in one ulong; ageToIndex recovers the pixel. Markers get ages in raster
        // order (skimage gives them all age 0; equal values then pop in raster order, as here). Marker pixels with no
        // free neighbour are never pushed: popping them would change nothing.
        var ageToIndex = new List<int>(1024);
        var heap = new KeyHeap(1024);
        for (int p = 0; p < markers.Length; p++)
        {
            if (output[p] == 0 || !HasFreeNeighbour(p))
                continue;
            heap.Push(Key(surface[p], ageToIndex.Count));
            ageToIndex.Add(p);
        }

        while (heap.Count > 0)
        {
            int p = ageToIndex[(int)(uint)heap.Pop()];
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
                heap.Push(Key(surface[n], ageToIndex.Count));
                ageToIndex.Add(n);
            }
        }

        return output;

        bool HasFreeNeighbour(int p)
        {
            int z = p / hw, rem = p - z * hw, y = rem / w, x = rem - y * w;
            for (int i = 0; i < offsets.Length; i++)
            {
                if (!nb.IsInside(i, z, y, x))
                    continue;
                int n = p + offsets[i];
                if (output[n] == 0 && (mask is null || mask[n]))
                    return true;
            }

            return false;
        }
    }

    /// <summary>Orders by value (NaN last), then by age.</summary>
    internal static ulong Key(float value, int age)
    {
        if (float.IsNaN(value))
            value = float.PositiveInfinity;
        if (value == 0)
            value = 0; // -0 and +0 tie
        uint bits = BitConverter.SingleToUInt32Bits(value);
        bits = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)bits << 32) | (uint)age;
    }

    /// <summary>A binary min-heap of packed keys.</summary>
    internal sealed class KeyHeap
    {
        private ulong[] _items;

        public KeyHeap(int capacity) => _items = new ulong[Math.Max(capacity, 4)];

        public int Count { get; private set; }

        public void Push(ulong key)
        {
            if (Count == _items.Length)
                Array.Resize(ref _items, _items.Length * 2);
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (_items[parent] <= key)
                    break;
                _items[i] = _items[parent];
                i = parent;
            }

            _items[i] = key;
        }

        public ulong Pop()
        {
            ulong top = _items[0];
            ulong last = _items[--Count];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= Count)
                    break;
                if (child + 1 < Count && _items[child + 1] < _items[child])
                    child++;
                if (_items[child] >= last)
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
