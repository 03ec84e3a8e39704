using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Exponential moving average of the generator (encoder and decoder) weights: after update n,
/// avg = d avg + (1 - d) w with d = min(decay, (1 + n) / (10 + n)), so short runs are not dominated by the initial weights.
/// The averages live beside the trained networks (same device, float32) and go into checkpoints.
/// </summary>
internal sealed class GeneratorAverage : IDisposable
{
    private readonly double _decay;
    private readonly List<(string Name, Parameter Live, Tensor Average)> _entries = new();

    public GeneratorAverage(AdGanNetworks networks, double decay)
    {
        _decay = decay;
        using var noGrad = no_grad();
        foreach (var (prefix, module) in new (string, nn.Module)[] { ("encoder.", networks.Encoder), ("decoder.", networks.Decoder) })
            foreach (var (name, parameter) in module.named_parameters())
                _entries.Add((prefix + name, parameter, parameter.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>Updates done so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Names of the averaged parameters ("encoder." or "decoder." and the module's parameter name), in a fixed order.</summary>
    public IEnumerable<string> Names => _entries.Select(e => e.Name);

    /// <summary>Folds the current weights into the average.</summary>
    public void Update()
    {
        double d = Math.Min(_decay, (1.0 + Updates) / (10.0 + Updates));
        using var keep = d.ToScalar();
        using var take = (1 - d).ToScalar();
        using (NewDisposeScope())
        using (no_grad())
        {
            foreach (var (_, live, average) in _entries)
                average.mul_(keep).add_(live.detach(), take);
        }

        Updates++;
    }

    /// <summary>Copies the averages into the same-named parameters of another generator (for example a deployable copy).</summary>
    public void CopyTo(nn.Module encoder, nn.Module decoder)
    {
        var targets = encoder.named_parameters().Select(p => ("encoder." + p.name, p.parameter))
            .Concat(decoder.named_parameters().Select(p => ("decoder." + p.name, p.parameter)))
            .ToDictionary(p => p.Item1, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, _, average) in _entries)
            targets[name].copy_(average.to(targets[name].device));
    }

    /// <summary>Writes the update count and every average (name, shape, float32 values).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Updates);
        writer.Write(_entries.Count);
        foreach (var (name, _, average) in _entries)
        {
            writer.Write(name);
            var values = average.to(float32).cpu().contiguous().data<float>().ToArray();
            writer.Write(values.Length);
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote; <paramref name="source"/> names the file in errors.</summary>
    public void Load(BinaryReader reader, string source)
    {
        long updates = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != _entries.Count)
            throw new Persistence.AdGanModelFormatException($"Checkpoint '{source}' averages {count} generator tensors; this network has {_entries.Count}.");
        using var noGrad = no_grad();
        foreach (var (name, _, average) in _entries)
        {
            string stored = reader.ReadString();
            int length = reader.ReadInt32();
            if (stored != name || length != average.numel())
                throw new Persistence.AdGanModelFormatException($"Checkpoint '{source}' holds the average of '{stored}' ({length} values) where '{name}' ({average.numel()} values) was expected.");
            var bytes = reader.ReadBytes(checked(length * sizeof(float)));
            if (bytes.Length != length * sizeof(float))
                throw new EndOfStreamException();
            var values = new float[length];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            using var loaded = tensor(values, average.shape);
            average.copy_(loaded);
        }

        Updates = updates;
    }

    /// <summary>Restarts the average from the current weights (resuming a checkpoint that has none).</summary>
    public void Reset()
    {
        using var noGrad = no_grad();
        foreach (var (_, live, average) in _entries)
            average.copy_(live.detach());
        Updates = 0;
    }

    public void Dispose()
    {
        foreach (var (_, _, average) in _entries)
            average.Dispose();
        _entries.Clear();
    }
}
