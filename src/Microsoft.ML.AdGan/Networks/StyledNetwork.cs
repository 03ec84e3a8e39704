using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// A layer list (<c>main</c>) whose AdaIN-bearing layers take consecutive slices of one style vector, plus the style
/// MLP (<c>mlp</c>) that produces that vector from a domain label. Shared by <see cref="ContentEncoder"/> and
/// <see cref="StyleDecoder"/>; the state-dict names equal the authors' (<c>main.N.*</c>, <c>mlp.model.K.*</c>).
/// </summary>
internal abstract class StyledNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module[] _layers;
    private readonly int[] _styleOffsets;

    /// <summary>Registers <paramref name="layers"/> as <c>main</c> and builds the style MLP for them.</summary>
    private protected StyledNetwork(string name, int dimensions, int mlpWidth, params nn.Module[] layers) : base(name)
    {
        Layers.CheckDimensions(dimensions);
        Dimensions = dimensions;
        _layers = layers;
        _styleOffsets = new int[layers.Length];
        var offset = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            _styleOffsets[i] = offset;
            if (layers[i] is IStyledLayer styled) offset += styled.StyleLength;
            else if (layers[i] is not nn.Module<Tensor, Tensor>)
                throw new ArgumentException($"Layer {i} ({layers[i].GetType().Name}) is neither a styled nor a one-input layer.", nameof(layers));
        }
        StyleLength = offset;
        Mlp = new StyleMlp(offset, mlpWidth);
        register_module("main", nn.ModuleList(layers));
        register_module("mlp", Mlp);
    }

    /// <summary>2 or 3.</summary>
    public int Dimensions { get; }

    /// <summary>Length N of the style vector: 2 x the channels of all AdaIN layers, in network order.</summary>
    public int StyleLength { get; }

    /// <summary>The layer list (<c>main</c>) in network order.</summary>
    internal IReadOnlyList<nn.Module> MainLayers => _layers;

    /// <summary>The style MLP (label -> AdaIN parameters).</summary>
    public StyleMlp Mlp { get; }

    /// <summary>The style vector (1, N) of a domain; compute it once and reuse it for every tile of that domain.</summary>
    public Tensor Style(AdGanDomain domain) => Mlp.ForDomain(domain);

    /// <summary>Style vectors (B, N) for per-sample int64 domain labels (B).</summary>
    public Tensor Style(Tensor labels) => Mlp.ForLabels(labels);

    /// <summary>Runs the layer list on <paramref name="x"/> with <paramref name="style"/> (B or 1, N); does not modify the module.</summary>
    public override Tensor forward(Tensor x, Tensor style) => Forward(x, style, null);

    /// <summary>As <see cref="forward"/>, with every instance normalisation taking its statistics from <paramref name="statistics"/> when given.</summary>
    public Tensor Forward(Tensor x, Tensor style, IInstanceNormStatistics? statistics)
    {
        if (style.shape.Length != 2 || style.shape[1] != StyleLength)
            throw new ArgumentException($"{GetName()} expects a style of shape (B, {StyleLength}); got ({string.Join(", ", style.shape)}).", nameof(style));
        if (x.shape.Length != Dimensions + 2)
            throw new ArgumentException($"{GetName()} ({Dimensions}D) expects a tensor of rank {Dimensions + 2}; got ({string.Join(", ", x.shape)}).", nameof(x));
        return ForwardLayers(x, style, statistics, 0, _layers.Length);
    }

    /// <summary>Runs layers [<paramref name="first"/>, <paramref name="end"/>) of the layer list on <paramref name="x"/>.</summary>
    internal Tensor ForwardLayers(Tensor x, Tensor style, IInstanceNormStatistics? statistics, int first, int end)
    {
        using var scope = NewDisposeScope();
        bool releaseEarly = !is_grad_enabled();   // inference: free each layer's input once used, so memory is a few layers', not the network's
        var h = x;
        for (var i = first; i < end; i++)
        {
            var next = _layers[i] is IStyledLayer styled
                ? styled.Apply(h, LayerStyle(style, i), statistics)
                : ((nn.Module<Tensor, Tensor>)_layers[i]).call(h);
            if (releaseEarly && !ReferenceEquals(h, x) && !ReferenceEquals(h, next))
                h.Dispose();
            h = next;
        }
        return scope.MoveToOuter(h);
    }

    /// <summary>The slice of <paramref name="style"/> that layer <paramref name="layer"/> (a styled one) takes.</summary>
    internal Tensor LayerStyle(Tensor style, int layer) =>
        style.narrow(1, _styleOffsets[layer], ((IStyledLayer)_layers[layer]).StyleLength);
}
