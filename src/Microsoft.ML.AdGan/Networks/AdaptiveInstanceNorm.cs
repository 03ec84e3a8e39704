using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// Adaptive instance normalisation: per-sample, per-channel normalisation (eps 1e-5, biased variance, no running
/// statistics), then <c>x_hat * (1 + w) + b</c>. The style (b, w) is an argument, never module state, so one model
/// can serve concurrent requests.
/// </summary>
internal sealed class AdaptiveInstanceNorm : nn.Module<Tensor, Tensor, Tensor>, IStyledLayer
{
    /// <summary>Normalisation epsilon, as the reference.</summary>
    public const double Epsilon = 1e-5;

    private readonly int _dimensions;

    /// <summary>Creates an AdaIN layer for <paramref name="channels"/> channels of a 2D or 3D feature map.</summary>
    public AdaptiveInstanceNorm(long channels, int dimensions) : base(nameof(AdaptiveInstanceNorm))
    {
        Layers.CheckDimensions(dimensions);
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be at least 1.");
        Channels = channels;
        _dimensions = dimensions;
    }

    /// <summary>Number of feature channels C.</summary>
    public long Channels { get; }

    /// <summary>Style values consumed: C biases b then C scales w.</summary>
    public int StyleLength => checked((int)(2 * Channels));

    /// <summary>Normalises <paramref name="x"/> (B, C, spatial...) and applies <paramref name="style"/> (B or 1, 2C): first C values b, next C values w.</summary>
    public override Tensor forward(Tensor x, Tensor style) => Forward(x, style, null);

    /// <summary>As <see cref="forward"/>, normalising with <paramref name="statistics"/> when given (else with the sample's own).</summary>
    public Tensor Forward(Tensor x, Tensor style, IInstanceNormStatistics? statistics)
    {
        if (x.shape.Length != _dimensions + 2 || x.shape[1] != Channels)
            throw new ArgumentException($"AdaIN({Channels}, {_dimensions}D) expects (B, {Channels}, spatial x{_dimensions}); got ({string.Join(", ", x.shape)}).", nameof(x));
        if (style.shape.Length != 2 || style.shape[1] != StyleLength)
            throw new ArgumentException($"AdaIN({Channels}) expects a style of shape (B, {StyleLength}); got ({string.Join(", ", style.shape)}).", nameof(style));
        using var scope = NewDisposeScope();
        var (scale, b) = ScaleAndShift(style);
        var normalised = statistics is null ? nn.functional.instance_norm(x, eps: Epsilon) : statistics.Normalize(x, Epsilon);
        var result = is_grad_enabled()
            ? normalised.mul(scale).add(b, Scalars.One)
            : normalised.mul_(scale).add_(b, Scalars.One);   // inference: in place, one feature map less at a time
        return scope.MoveToOuter(result);
    }

    /// <summary>The affine part of AdaIN for <paramref name="style"/> (B, 2C): scale 1 + w and shift b, shaped to broadcast over (B, C, spatial).</summary>
    internal (Tensor Scale, Tensor Shift) ScaleAndShift(Tensor style)
    {
        var broadcast = new long[_dimensions + 2];
        broadcast[0] = style.shape[0];
        broadcast[1] = Channels;
        for (var i = 2; i < broadcast.Length; i++) broadcast[i] = 1;
        var shift = style.narrow(1, 0, Channels).reshape(broadcast);
        var w = style.narrow(1, Channels, Channels).reshape(broadcast);
        return (w.add(Scalars.One, Scalars.One), shift);
    }

    Tensor IStyledLayer.Apply(Tensor x, Tensor style, IInstanceNormStatistics? statistics) => Forward(x, style, statistics);
}
