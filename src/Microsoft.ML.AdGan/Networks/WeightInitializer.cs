using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>The reference initialisations, drawn from an explicit generator (the global torch seed is left alone).</summary>
internal static class WeightInitializer
{
    /// <summary>Kaiming-normal, fan-in, gain sqrt(2) for every weight of rank >= 2 (conv, transposed conv, linear); zero biases.</summary>
    public static void KaimingFanIn(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (IsBias(name, p)) { p.zero_(); continue; }
            // PyTorch's fan-in: size(1) x receptive field (for a transposed conv this is out-channels x kernel).
            long fanIn = p.shape[1];
            for (var i = 2; i < p.shape.Length; i++) fanIn *= p.shape[i];
            using var std = (Math.Sqrt(2.0) / Math.Sqrt(fanIn)).ToScalar();
            using var draw = randn(p.shape, p.dtype, p.device, generator: generator);
            p.copy_(draw.mul_(std));
        }
    }

    /// <summary>Normal(0, <paramref name="std"/>) weights, zero biases.</summary>
    public static void Normal(nn.Module module, double std, Generator generator)
    {
        using var noGrad = no_grad();
        using var scale = std.ToScalar();
        foreach (var (name, p) in module.named_parameters())
        {
            if (IsBias(name, p)) { p.zero_(); continue; }
            using var draw = randn(p.shape, p.dtype, p.device, generator: generator);
            p.copy_(draw.mul_(scale));
        }
    }

    private static bool IsBias(string name, Tensor p) => name.EndsWith("bias", StringComparison.Ordinal) || p.shape.Length < 2;
}
