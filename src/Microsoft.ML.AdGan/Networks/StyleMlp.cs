using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Networks;

/// <summary>
/// The style MLP: Linear(2, W), ReLU, Linear(W, W), ReLU, Linear(W, N). Input: one-hot domain labels; output: the
/// AdaIN parameters of a whole network (N = 2 x its AdaIN channels). Parameter names follow the authors' MLP (model.0/2/4).
/// </summary>
internal sealed class StyleMlp : nn.Module<Tensor, Tensor>
{
    /// <summary>Number of domains (one-hot input size).</summary>
    public const int DomainCount = 2;

    private readonly nn.Module<Tensor, Tensor> _model;

    /// <summary>Creates an MLP of hidden width <paramref name="width"/> producing <paramref name="outputLength"/> style values.</summary>
    public StyleMlp(int outputLength, int width = 64) : base(nameof(StyleMlp))
    {
        if (outputLength < 1) throw new ArgumentOutOfRangeException(nameof(outputLength), outputLength, "The style length must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The MLP width must be at least 1.");
        OutputLength = outputLength;
        Width = width;
        _model = nn.Sequential(
            nn.Linear(DomainCount, width), nn.ReLU(),
            nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, outputLength));
        register_module("model", _model);
    }

    /// <summary>Number of style values produced per sample.</summary>
    public int OutputLength { get; }

    /// <summary>Hidden width.</summary>
    public int Width { get; }

    /// <summary>Maps one-hot labels (B, 2) to style vectors (B, N).</summary>
    public override Tensor forward(Tensor oneHot) => _model.call(oneHot);

    /// <summary>Style vectors (B, N) of integer domain labels (B) of type int64.</summary>
    public Tensor ForLabels(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var weight = parameters().First();
        var oneHot = nn.functional.one_hot(labels.to_type(ScalarType.Int64), DomainCount).to(weight.dtype, weight.device);
        return scope.MoveToOuter(call(oneHot));
    }

    /// <summary>The style vector (1, N) of one domain.</summary>
    public Tensor ForDomain(AdGanDomain domain)
    {
        using var scope = NewDisposeScope();
        var weight = parameters().First();
        var oneHot = zeros(1, DomainCount, weight.dtype, weight.device);
        oneHot[0, (int)domain] = tensor(1f);
        return scope.MoveToOuter(call(oneHot));
    }
}
