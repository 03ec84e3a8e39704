using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// LeakyReLU with its negative slope passed as a native Scalar that outlives every call (TorchSharp's nn.LeakyReLU
/// converts its slope to a temporary Scalar on each forward). No parameters, so state-dict names are unchanged.
/// </summary>
internal sealed class LeakyRelu : nn.Module<Tensor, Tensor>
{
    private readonly Scalar _slope;

    /// <summary>Creates the layer; <paramref name="slope"/> must stay alive as long as the layer (a static readonly field).</summary>
    public LeakyRelu(Scalar slope) : base(nameof(LeakyRelu)) => _slope = slope;

    public override Tensor forward(Tensor x) => x.leaky_relu(_slope);
}
