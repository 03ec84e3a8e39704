using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// PatchGAN discriminator with one output channel per domain: conv 4 s2 p1 (c -> ndf), LReLU 0.2; conv 4 s2 p1
/// (ndf -> 2ndf), IN, LReLU; conv 4 s2 p1 (2ndf -> 4ndf), IN, LReLU; conv 4 s1 p1 (4ndf -> 8ndf), IN, LReLU;
/// conv 4 s1 p1 (8ndf -> 2). For a sample of domain y the result is channel y. Convolutions pad with zeros.
/// </summary>
internal sealed class PatchDiscriminator : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Smallest spatial size (every axis) the five convolutions accept.</summary>
    public const int MinimumSize = 24;

    private static readonly Scalar Slope = 0.2.ToScalar();
    private readonly nn.Module<Tensor, Tensor> _main;

    /// <summary>Creates a discriminator with <paramref name="baseChannels"/> (ndf) base channels.</summary>
    public PatchDiscriminator(int baseChannels, int dimensions = 2, int imageChannels = 1) : base(nameof(PatchDiscriminator))
    {
        if (baseChannels < 1) throw new ArgumentOutOfRangeException(nameof(baseChannels), baseChannels, "The base channel count must be at least 1.");
        Layers.CheckDimensions(dimensions);
        BaseChannels = baseChannels;
        Dimensions = dimensions;
        var ndf = baseChannels;
        var d = dimensions;
        _main = nn.Sequential(
            Layers.Conv(d, imageChannels, ndf, 4, 2, 1), new LeakyRelu(Slope),
            Layers.Conv(d, ndf, 2 * ndf, 4, 2, 1), Layers.InstanceNorm(d, 2 * ndf), new LeakyRelu(Slope),
            Layers.Conv(d, 2 * ndf, 4 * ndf, 4, 2, 1), Layers.InstanceNorm(d, 4 * ndf), new LeakyRelu(Slope),
            Layers.Conv(d, 4 * ndf, 8 * ndf, 4, 1, 1), Layers.InstanceNorm(d, 8 * ndf), new LeakyRelu(Slope),
            Layers.Conv(d, 8 * ndf, StyleMlp.DomainCount, 4, 1, 1));
        register_module("main", _main);
    }

    /// <summary>ndf.</summary>
    public int BaseChannels { get; }

    /// <summary>2 or 3.</summary>
    public int Dimensions { get; }

    /// <summary>All domain channels (B, 2, patches...) for images <paramref name="x"/>.</summary>
    public Tensor AllDomains(Tensor x)
    {
        if (x.shape.Length != Dimensions + 2)
            throw new ArgumentException($"The discriminator ({Dimensions}D) expects a tensor of rank {Dimensions + 2}; got ({string.Join(", ", x.shape)}).", nameof(x));
        for (var i = 2; i < x.shape.Length; i++)
            if (x.shape[i] < MinimumSize)
                throw new ArgumentException($"The discriminator needs every spatial size >= {MinimumSize}; got ({string.Join(", ", x.shape)}).", nameof(x));
        return _main.call(x);
    }

    /// <summary>Patch scores (B, patches...) of images <paramref name="x"/>, each sample read in the channel of its int64 domain label (B).</summary>
    public override Tensor forward(Tensor x, Tensor labels)
    {
        if (labels.shape.Length != 1 || labels.shape[0] != x.shape[0])
            throw new ArgumentException($"Expected one label per sample ({x.shape[0]}); got ({string.Join(", ", labels.shape)}).", nameof(labels));
        using var scope = NewDisposeScope();
        var all = AllDomains(x);
        var index = new long[all.shape.Length];
        index[0] = all.shape[0];
        for (var i = 1; i < index.Length; i++) index[i] = 1;
        var expandTo = (long[])all.shape.Clone();
        expandTo[1] = 1;
        var selected = all.gather(1, labels.to_type(ScalarType.Int64).reshape(index).expand(expandTo)).squeeze(1);
        return scope.MoveToOuter(selected);
    }
}
