using System.Runtime;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Runs TorchSharp work with garbage collection held off where the runtime allows it.
/// </summary>
/// <remarks>
/// Workaround for a race in TorchSharp 0.107: many calls convert numbers to temporary native Scalars (for example
/// <c>Tensor.add(target)</c> passes <c>1</c> as alpha) and pass only the handle to native code, so a collection during
/// the native call can finalise the Scalar while libtorch still reads it. We saw it as rare, non-reproducible failures
/// "Expected false to be true" from c10 Scalar.h in training (the background mask producer allocates, so collections
/// happen at any time). Holding collections off during a training step closes that window. When a no-GC region cannot
/// be started (already active on another thread, or not supported), the work runs unprotected.
/// </remarks>
internal static class GcQuiet
{
    private static readonly long[] Budgets = { 256L << 20, 64L << 20, 16L << 20 };

    public static T Run<T>(Func<T> work)
    {
        using var region = new Region();
        return work();
    }

    /// <summary>
    /// A no-GC region held across many TorchSharp calls (for example every tile of one image), so the blocking collection that
    /// starts a region is paid once rather than per call. <see cref="Renew"/>, called between native calls, starts a fresh
    /// region before the allocation budget can run out (running out would end the region by a collection at any point).
    /// </summary>
    internal sealed class Region : IDisposable
    {
        private bool _quiet;
        private long _budget;
        private long _allocatedAtStart;

        public Region() => Start();

        /// <summary>True while this region holds collections off.</summary>
        public bool IsQuiet => _quiet && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

        /// <summary>Between native calls: keeps the region when at least half of its budget is left, else ends it and starts a new one.</summary>
        public void Renew()
        {
            if (IsQuiet && GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart < _budget / 2)
                return;
            End();
            Start();
        }

        public void Dispose() => End();

        private void Start()
        {
            foreach (long budget in Budgets)
            {
                try
                {
                    _quiet = GC.TryStartNoGCRegion(budget);
                    _budget = budget;
                    _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
                    return;
                }
                catch (ArgumentOutOfRangeException)
                {
                    // Budget larger than the runtime allows: try a smaller one.
                }
                catch (InvalidOperationException)
                {
                    return; // A region is already active (another thread): run unprotected.
                }
            }
        }

        private void End()
        {
            if (IsQuiet)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The region ended by itself (allocation budget exceeded); nothing to end.
                }
            }
            _quiet = false;
        }
    }
}
