namespace Microsoft.ML.AdGan.Training;

/// <summary>The reference schedule: constant for <c>Iterations</c>, then linear decay to zero over <c>DecayIterations</c>.</summary>
internal static class LearningRateSchedule
{
    /// <summary>Learning rate for the zero-based <paramref name="iteration"/>.</summary>
    public static double At(int iteration, double baseRate, int iterations, int decayIterations)
    {
        if (iteration < iterations || decayIterations <= 0)
            return baseRate;
        double progress = (iteration - iterations + 1) / (double)(decayIterations + 1);
        return baseRate * Math.Max(0, 1 - progress);
    }
}
