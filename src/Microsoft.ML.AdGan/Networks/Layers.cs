using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>The layer factory behind the one 2D/3D code path: picks the 2D or 3D flavour of each layer.</summary>
internal static class Layers
{
    public static void CheckDimensions(int dimensions)
    {
        if (dimensions is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Dimensions must be 2 or 3.");
    }

    /// <summary>Convolution with zero padding (see <see cref="Convolution"/> for why it is not nn.Conv2d).</summary>
    public static nn.Module<Tensor, Tensor> Conv(int dimensions, long input, long output, long kernel, long stride = 1, long padding = 0) =>
        new Convolution(dimensions, input, output, kernel, stride, padding);

    /// <summary>Transposed convolution kernel 3, stride 2, padding 1, output padding 1: doubles every spatial size.</summary>
    public static nn.Module<Tensor, Tensor> UpConv(int dimensions, long input, long output) =>
        new TransposedConvolution(dimensions, input, output);

    public static nn.Module<Tensor, Tensor> ReflectionPad(int dimensions, long padding) =>
        dimensions == 2 ? nn.ReflectionPad2d(padding) : nn.ReflectionPad3d(padding);

    /// <summary>Instance normalisation without affine parameters or running statistics (eps 1e-5).</summary>
    public static nn.Module<Tensor, Tensor> InstanceNorm(int dimensions, long channels) =>
        dimensions == 2
            ? nn.InstanceNorm2d(channels, eps: 1e-5, affine: false, track_running_stats: false)
            : nn.InstanceNorm3d(channels, eps: 1e-5, affine: false, track_running_stats: false);
}
