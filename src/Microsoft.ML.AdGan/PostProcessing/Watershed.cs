using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Marker-based watershed by priority flooding (as skimage.segmentation.watershed, non-compact): pixels are taken in
/// order of surface value, ties by insertion age, so the result is deterministic. O(n log n); O(n log k) when the
/// surface takes k distinct values on the flooded pixels.
/// </summary>
internal static class Watershed
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
        => ValueBuckets.Suit(surface, mask)
            ? FloodCore(surface, markers, mask, shape, connectivity, new ValueBuckets())
            : FloodCore(surface, markers, mask, shape, connectivity, new AgeHeap());

    /// <summary>The flood with a given queue; every queue pops pixels in the same (value, insertion order) order, so the result does not depend on it.</summary>
    internal static uint[] FloodCore<TQueue>(float[] surface, uint[] markers, bool[]? mask, ImageShape shape, Connectivity connectivity, TQueue queue)
        where TQueue : IPixelQueue
    {
        var nb = Neighborhood.Create(shape, connectivity);
        var output = new uint[surface.Length];
        int w = shape.Width, hw = shape.Height * shape.Width;
        int[] offsets = nb.Offsets;
        for (int i = 0; i < markers.Length; i++)
            if (markers[i] != 0 && (mask is null || mask[i]))
                output[i] = markers[i];

        // Markers enter in raster order (skimage gives them all age 0; equal values then pop in raster order, as here).
        // Marker pixels with no free neighbour are never pushed: popping them would change nothing.
        for (int p = 0; p < markers.Length; p++)
        {
            if (output[p] == 0 || !HasFreeNeighbour(p))
                continue;
            queue.Push(surface[p], p);
        }

        while (queue.Count > 0)
        {
            int p = queue.Pop();
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
                queue.Push(surface[n], n);
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

    /// <summary>Sortable bits of a value: NaN last, -0 equal to +0, unsigned order equal to numeric order.</summary>
    internal static uint SortableBits(float value)
    {
        if (float.IsNaN(value))
            value = float.PositiveInfinity;
        if (value == 0)
            value = 0; // -0 and +0 tie
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    /// <summary>A min-queue of pixels ordered by (value, insertion order).</summary>
    internal interface IPixelQueue
    {
        int Count { get; }

        void Push(float value, int pixel);

        int Pop();
    }

    /// <summary>One heap entry per pixel, keyed by (value, age); any mix of values.</summary>
    internal sealed class AgeHeap : IPixelQueue
    {
        private readonly KeyHeap _heap = new(1024);
        private readonly List<int> _ageToIndex = new(1024);

        public int Count => _heap.Count;

        public void Push(float value, int pixel)
        {
            _heap.Push(Key(value, _ageToIndex.Count));
            _ageToIndex.Add(pixel);
        }

        public int Pop() => _ageToIndex[(int)(uint)_heap.Pop()];
    }

    /// <summary>
    /// A first-in first-out bucket per distinct value under a heap of the distinct values present: within one value,
    /// insertion order is age order, so pixels pop exactly as from <see cref="AgeHeap"/>, with one heap operation per
    /// distinct value instead of per pixel. Pays off when values repeat, as squared distances on a pixel grid do.
    /// </summary>
    internal sealed class ValueBuckets : IPixelQueue
    {
        private readonly Dictionary<uint, Queue<int>> _buckets = new();
        private readonly Stack<Queue<int>> _spare = new();
        private readonly KeyHeap _values = new(256);
        private Queue<int>? _front;
        private uint _frontValue;

        public int Count { get; private set; }

        /// <summary>True when a sample of the flooded values shows few distinct values (the choice changes speed, never results).</summary>
        public static bool Suit(float[] surface, bool[]? mask)
        {
            const int Stride = 61, MaxDistinct = 4096;
            var seen = new HashSet<uint>();
            for (int i = 0; i < surface.Length; i += Stride)
            {
                if (mask is not null && !mask[i])
                    continue;
                if (seen.Add(SortableBits(surface[i])) && seen.Count > MaxDistinct)
                    return false;
            }

            return true;
        }

        public void Push(float value, int pixel)
        {
            uint bits = SortableBits(value);
            Count++;
            if (_front is not null && bits == _frontValue)
            {
                _front.Enqueue(pixel);
                return;
            }

            if (!_buckets.TryGetValue(bits, out var bucket))
            {
                bucket = _spare.Count > 0 ? _spare.Pop() : new Queue<int>();
                _buckets[bits] = bucket;
                _values.Push(bits);
            }

            bucket.Enqueue(pixel);
            if (_front is not null && bits < _frontValue)
                _front = null; // a lower value now leads
        }

        public int Pop()
        {
            if (_front is null)
            {
                _frontValue = (uint)_values.Peek();
                _front = _buckets[_frontValue];
            }

            int pixel = _front.Dequeue();
            Count--;
            if (_front.Count == 0)
            {
                _values.Pop();
                _buckets.Remove(_frontValue);
                _spare.Push(_front);
                _front = null;
            }

            return pixel;
        }
    }

    /// <summary>Orders by value (NaN last), then by age.</summary>
    internal static ulong Key(float value, int age) => ((ulong)SortableBits(value) << 32) | (uint)age;

    /// <summary>A binary min-heap of packed keys.</summary>
    internal sealed class KeyHeap
    {
        private ulong[] _items;

        public KeyHeap(int capacity) => _items = new ulong[Math.Max(capacity, 4)];

        public int Count { get; private set; }

        public ulong Peek() => _items[0];

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
