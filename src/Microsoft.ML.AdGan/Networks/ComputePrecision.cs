namespace Microsoft.ML.AdGan.Networks;

/// <summary>Number format of the convolutions of the AD-GAN networks; weights, optimiser state, normalisation and losses stay float32.</summary>
public enum ComputePrecision
{
    /// <summary>Everything in float32: the faithful path, equal to the authors' reference within float32 rounding.</summary>
    Float32 = 0,

    /// <summary>
    /// Mixed precision: each convolution casts its float32 input and weight to bfloat16, convolves, and returns float32
    /// (bias added in float32). Gradients reach the float32 master weights as float32. About 2x faster on CPUs with
    /// AVX-512-BF16 or AMX, much slower than float32 without them (see <see cref="BFloat16Support"/>); relative rounding of the
    /// convolution outputs about 2^-8. Layers where libtorch 2.10's CPU
    /// bfloat16 kernels are wrong (input channels not a multiple of 16, i.e. the image layers, and all 3D layers) stay float32.
    /// </summary>
    BFloat16Mixed = 1,
}
