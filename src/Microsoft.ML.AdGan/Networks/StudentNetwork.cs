using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The student: a compact 2D U-Net that maps a normalised image (B, 1, H, W) in [-1, 1] at the working scale to one map
/// of the same size whose tanh is a decoded map (<see cref="StudentTarget"/>). Level l (0..Depth) has c x 2^l channels
/// (c = <see cref="StudentNetworkOptions.BaseChannels"/>). Encoder: per level (after a 2x2 max-pool below the first) two
/// conv 3 p1 + ReLU. Decoder, from the deepest level up: conv 1 (c x 2^(l+1) -> c x 2^l) at the coarse level, nearest 2x
/// upsampling, sum with the encoder's level-l features, ReLU, conv 3 p1 + ReLU. Head: conv 1 (c -> 1). No normalisation
/// layers, so tiles and whole images compute the same wherever the borders are out of reach. Sizes that are not multiples
/// of 2^Depth are padded (replicate) and the output cropped back. State-dict names: <c>enc.N</c>, <c>lateral.N</c>,
/// <c>dec.N</c>, <c>head</c>.
/// </summary>
public sealed class StudentNetwork : nn.Module<Tensor, Tensor>
{
    // Kept alive for the process: an explicit alpha for the skip sums, never a temporary Scalar (see Training.GcQuiet).
    private static readonly Scalar One = 1.0.ToScalar();

    private readonly nn.Module<Tensor, Tensor>[] _encoder;
    private readonly nn.Module<Tensor, Tensor>[] _lateral;
    private readonly nn.Module<Tensor, Tensor>[] _decoder;
    private readonly nn.Module<Tensor, Tensor> _head;

    /// <summary>Builds the network described by <paramref name="options"/> (defaults when null), weights Kaiming-normal (fan-in) from <paramref name="seed"/>, biases zero.</summary>
    public StudentNetwork(StudentNetworkOptions? options = null, long seed = 10) : base(nameof(StudentNetwork))
    {
        Options = options ?? new StudentNetworkOptions();
        Options.Validate();
        int c = Options.BaseChannels, depth = Options.Depth;
        long Channels(int level) => (long)c << level;
        _encoder = new nn.Module<Tensor, Tensor>[2 * (depth + 1)];
        for (int l = 0; l <= depth; l++)
        {
            _encoder[2 * l] = Layers.Conv(2, l == 0 ? 1 : Channels(l - 1), Channels(l), 3, 1, 1);
            _encoder[2 * l + 1] = Layers.Conv(2, Channels(l), Channels(l), 3, 1, 1);
        }
        _lateral = new nn.Module<Tensor, Tensor>[depth];
        _decoder = new nn.Module<Tensor, Tensor>[depth];
        for (int l = 0; l < depth; l++)
        {
            _lateral[l] = Layers.Conv(2, Channels(l + 1), Channels(l), 1);
            _decoder[l] = Layers.Conv(2, Channels(l), Channels(l), 3, 1, 1);
        }
        _head = Layers.Conv(2, c, 1, 1);
        register_module("enc", nn.ModuleList(_encoder));
        register_module("lateral", nn.ModuleList(_lateral));
        register_module("dec", nn.ModuleList(_decoder));
        register_module("head", _head);
        using var generator = new Generator((ulong)seed);
        WeightInitializer.KaimingFanIn(this, generator);
    }

    /// <summary>The options the network was built with.</summary>
    public StudentNetworkOptions Options { get; }

    /// <summary>Logits (B, 1, H, W) of images <paramref name="x"/> (B, 1, H, W); tanh of them is the decoded map.</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 1)
            throw new ArgumentException($"The student expects images of shape (B, 1, H, W); got ({string.Join(", ", x.shape)}).", nameof(x));
        using var scope = NewDisposeScope();
        long height = x.shape[2], width = x.shape[3];
        int multiple = Options.SizeMultiple;
        long padY = (multiple - height % multiple) % multiple, padX = (multiple - width % multiple) % multiple;
        var h = padY + padX == 0 ? x : F.pad(x, new[] { 0, padX, 0, padY }, PaddingModes.Replicate);
        int depth = Options.Depth;
        var skips = new Tensor[depth];
        for (int l = 0; l <= depth; l++)
        {
            if (l > 0)
                h = F.max_pool2d(h, 2);
            h = Relu(_encoder[2 * l].call(h));
            h = Relu(_encoder[2 * l + 1].call(h));
            if (l < depth)
                skips[l] = h;
        }
        for (int l = depth - 1; l >= 0; l--)
        {
            h = _lateral[l].call(h);
            h = F.interpolate(h, size: new[] { skips[l].shape[2], skips[l].shape[3] }, mode: InterpolationMode.Nearest);
            h = Relu(h.add(skips[l], One));
            h = Relu(_decoder[l].call(h));
        }
        h = _head.call(h);
        if (padY + padX != 0)
            h = h.narrow(2, 0, height).narrow(3, 0, width);
        return scope.MoveToOuter(h);
    }

    /// <summary>The decoded map tanh(logits) in [-1, 1] of images <paramref name="x"/> (B, 1, H, W).</summary>
    public Tensor Segment(Tensor x)
    {
        using var scope = NewDisposeScope();
        var logits = call(x);
        return scope.MoveToOuter(is_grad_enabled() ? logits.tanh() : logits.tanh_());
    }

    // In place when no gradient is recorded (inference): saves a pass over memory per layer.
    private static Tensor Relu(Tensor h) => is_grad_enabled() ? F.relu(h) : h.relu_();
}
