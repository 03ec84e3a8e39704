using Microsoft.ML.AdGan.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// Instance-normalisation statistics of one image, pooled over its tiles: per normalisation layer (in network order) and
/// channel, the sums and squared sums of the activations over each tile's core (the part of the tile nearest to it, so the
/// cores partition the image and overlaps do not count twice). One instance serves one inference call and is never shared.
/// </summary>
internal sealed class ImageNormalizationStatistics
{
    private readonly List<LayerSums> _sums = new();
    private LayerMoments[]? _moments;

    /// <summary>True once a pass has been completed: tiles are then normalised with the image's statistics.</summary>
    public bool HasMoments => _moments is not null;

    /// <summary>The statistics source for one tile. <paramref name="collect"/> adds the tile's core sums to this pass.</summary>
    public IInstanceNormStatistics ForTile(TileCore core, bool collect) => new TileView(this, core, collect, _moments);

    /// <summary>Turns the sums of the pass just run into the moments the next pass normalises with.</summary>
    public void EndPass()
    {
        _moments = _sums.Select(s => s.Moments()).ToArray();
        _sums.Clear();
    }

    private void Add(int layer, double[] sum, double[] sumSquares, long count)
    {
        if (layer == _sums.Count)
            _sums.Add(new LayerSums(sum.Length));
        else if (layer > _sums.Count)
            throw new InvalidOperationException($"Normalisation layer {layer} reported before layer {_sums.Count}.");
        _sums[layer].Add(sum, sumSquares, count);
    }

    /// <summary>The core of a tile along each spatial axis of the network input: [Low, High) in input pixels, and the (padded) input length.</summary>
    internal sealed record TileCore(int[] Low, int[] High, long[] InputLength);

    private sealed class LayerSums(int channels)
    {
        private readonly double[] _sum = new double[channels];
        private readonly double[] _sumSquares = new double[channels];
        private long _count;

        public void Add(double[] sum, double[] sumSquares, long count)
        {
            if (sum.Length != _sum.Length)
                throw new InvalidOperationException($"A normalisation layer saw {sum.Length} channels in one tile and {_sum.Length} in another.");
            for (int c = 0; c < sum.Length; c++)
            {
                _sum[c] += sum[c];
                _sumSquares[c] += sumSquares[c];
            }
            _count += count;
        }

        public LayerMoments Moments()
        {
            var mean = new float[_sum.Length];
            var variance = new float[_sum.Length];
            for (int c = 0; c < mean.Length; c++)
            {
                double m = _sum[c] / Math.Max(1, _count);
                mean[c] = (float)m;
                variance[c] = (float)Math.Max(0, _sumSquares[c] / Math.Max(1, _count) - m * m);
            }
            return new LayerMoments(mean, variance);
        }
    }

    private sealed record LayerMoments(float[] Mean, float[] Variance);

    private sealed class TileView(ImageNormalizationStatistics owner, TileCore core, bool collect, LayerMoments[]? moments) : IInstanceNormStatistics
    {
        private int _layer;

        public Tensor Normalize(Tensor x, double epsilon)
        {
            int layer = _layer++;
            if (collect)
                Collect(layer, x);
            if (moments is null)
                return nn.functional.instance_norm(x, eps: epsilon);
            if (layer >= moments.Length)
                throw new InvalidOperationException($"The network has more normalisation layers ({layer + 1}) than the statistics pass saw ({moments.Length}).");
            var m = moments[layer];
            var shape = new long[x.dim()];
            Array.Fill(shape, 1L);
            shape[1] = m.Mean.Length;
            var mean = tensor(m.Mean, shape).to(x.device);
            using var epsilonScalar = TorchSharp.ScalarExtensionMethods.ToScalar(epsilon);
            var scale = tensor(m.Variance, shape).to(x.device).add(epsilonScalar, Scalars.One).rsqrt();
            return x.sub(mean).mul_(scale);
        }

        private void Collect(int layer, Tensor x)
        {
            var region = x;
            long count = 1;
            for (int axis = 0; axis < core.InputLength.Length; axis++)
            {
                long length = x.shape[2 + axis];
                double ratio = (double)length / core.InputLength[axis];
                long low = (long)Math.Round(core.Low[axis] * ratio), high = Math.Min(length, (long)Math.Round(core.High[axis] * ratio));
                if (high <= low)
                    return;
                region = region.narrow(2 + axis, low, high - low);
                count *= high - low;
            }
            var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
            var wide = region.to(float64);
            var sum = wide.sum(dims).cpu().data<double>().ToArray();
            var squares = wide.mul(wide).sum(dims).cpu().data<double>().ToArray();
            owner.Add(layer, sum, squares, count * x.shape[0]);
        }
    }
}
