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
        bool quiet = false;
        foreach (long budget in Budgets)
        {
            try
            {
                quiet = GC.TryStartNoGCRegion(budget);
                break;
            }
            catch (ArgumentOutOfRangeException)
            {
                // Budget larger than the runtime allows: try a smaller one.
            }
            catch (InvalidOperationException)
            {
                break; // A region is already active (another thread): run unprotected.
            }
        }
        try
        {
            return work();
        }
        finally
        {
            if (quiet && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
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
        }
    }
}
