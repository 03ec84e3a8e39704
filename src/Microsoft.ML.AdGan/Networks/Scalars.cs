using TorchSharp;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// Native Scalars that live as long as the process. TorchSharp frees a Scalar in its finaliser, and a temporary one (a
/// number converted implicitly, or the alpha that <c>a + b</c> and <c>add(Tensor)</c> pass) can be finalised by a
/// garbage collection while libtorch still reads it; pass these to the explicit overloads instead.
/// </summary>
internal static class Scalars
{
    /// <summary>1.0: the alpha of a plain sum, <c>a.add(b, Scalars.One)</c>.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>0.0.</summary>
    public static readonly Scalar Zero = 0.0.ToScalar();
}
