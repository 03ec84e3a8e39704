using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// Counts the multiply-adds of the convolutions (plain and transposed) the student network performs per input pixel (the
/// generator's are counted from its layers by <see cref="GeneratorCost"/>: its banded forward bypasses the modules), by running it
/// once on a probe image and adding up what each convolution computed: a convolution costs (input channels x kernel
/// volume) per output value, a transposed one (output channels x kernel volume) per input value. Normalisation,
/// activations, resampling and the style MLPs are not counted (they are small next to the convolutions).
/// </summary>
internal static class MultiplyAdds
{
    /// <summary>Multiply-adds per input pixel of the student network at the working scale.</summary>
    public static double PerInputPixel(StudentNetwork student, int probeSize = 64)
    {
        ArgumentNullException.ThrowIfNull(student);
        return Count(student, x => student.call(x).Dispose(), probeSize);
    }

    private static double Count(nn.Module root, Action<Tensor> forward, int probeSize)
    {
        if (probeSize < 16 || probeSize % 16 != 0)
            throw new ArgumentOutOfRangeException(nameof(probeSize), probeSize, "The probe side must be a positive multiple of 16.");
        double total = 0;
        var removers = new List<Action>();
        try
        {
            // A module reachable along several paths is hooked once.
            foreach (var module in root.modules().Distinct(ReferenceEqualityComparer.Instance).Cast<nn.Module>())
            {
                if (module is Convolution convolution)
                    removers.Add(convolution.register_forward_hook((m, input, output) =>
                    {
                        var weight = m.get_parameter("weight")!;
                        total += (double)output.numel() * (weight.numel() / weight.shape[0]);
                        return output;
                    }).remove);
                else if (module is TransposedConvolution transposed)
                    removers.Add(transposed.register_forward_hook((m, input, output) =>
                    {
                        var weight = m.get_parameter("weight")!;
                        total += (double)input.numel() * (weight.numel() / weight.shape[0]);
                        return output;
                    }).remove);
            }
            using var noGrad = no_grad();
            using var probe = zeros(1, 1, probeSize, probeSize);
            forward(probe);
        }
        finally
        {
            foreach (var remove in removers)
                remove();
        }
        return total / ((double)probeSize * probeSize);
    }
}
