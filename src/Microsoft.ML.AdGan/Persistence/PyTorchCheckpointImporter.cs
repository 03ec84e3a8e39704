using System.Collections;
using Microsoft.ML.AdGan.Networks;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Persistence;

/// <summary>
/// Reads checkpoints of the authors' PyTorch AD-GAN code (<c>torch.save({'enc','dec','dis'})</c>, e.g. <c>latest.pth</c>)
/// into <see cref="AdGanNetworks"/>. Any ngf, 2D or 3D. AdaIN <c>running_mean</c>/<c>running_var</c> buffers
/// (unused by the reference) and top-level keys other than enc/dec/dis (optimiser state...) are ignored.
/// </summary>
public static class PyTorchCheckpointImporter
{
    /// <summary>Top-level key of the encoder state dict.</summary>
    public const string EncoderKey = "enc";

    /// <summary>Top-level key of the decoder state dict.</summary>
    public const string DecoderKey = "dec";

    /// <summary>Top-level key of the discriminator state dict.</summary>
    public const string DiscriminatorKey = "dis";

    /// <summary>Builds networks whose shape (ngf, dimensions, image channels, MLP width) is read from the checkpoint, and loads it.</summary>
    public static AdGanNetworks Import(string path, bool requireDiscriminator = false)
    {
        var options = InferOptions(path);
        var networks = new AdGanNetworks(options);
        try
        {
            Load(networks, path, requireDiscriminator);
        }
        catch
        {
            networks.Dispose();
            throw;
        }
        return networks;
    }

    /// <summary>Network options matching the tensors of the checkpoint at <paramref name="path"/>.</summary>
    public static AdGanNetworkOptions InferOptions(string path)
    {
        var tensors = ReadFlat(path);
        try
        {
            var firstConv = Require(tensors, path, $"{EncoderKey}.main.1.weight");
            var mlpInput = Require(tensors, path, $"{EncoderKey}.mlp.model.0.weight");
            return new AdGanNetworkOptions
            {
                BaseChannels = checked((int)firstConv.shape[0]),
                ImageChannels = checked((int)firstConv.shape[1]),
                Dimensions = firstConv.shape.Length - 2,
                StyleMlpWidth = checked((int)mlpInput.shape[0]),
            };
        }
        finally
        {
            DisposeAll(tensors);
        }
    }

    /// <summary>
    /// Copies the checkpoint at <paramref name="path"/> into <paramref name="networks"/>. Every expected tensor must be present
    /// with the right shape; the discriminator may be absent unless <paramref name="requireDiscriminator"/>. Returns whether it was loaded.
    /// Throws <see cref="InvalidDataException"/> naming the file and the missing, unexpected or mis-shaped keys.
    /// </summary>
    public static bool Load(AdGanNetworks networks, string path, bool requireDiscriminator = false)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var tensors = ReadFlat(path);
        try
        {
            var hasDiscriminator = tensors.Keys.Any(k => k.StartsWith(DiscriminatorKey + ".", StringComparison.Ordinal));
            if (requireDiscriminator && !hasDiscriminator)
                throw new InvalidDataException($"Checkpoint '{path}' has no '{DiscriminatorKey}' state dict, which is required here.");
            var targets = networks.named_parameters()
                .Where(p => hasDiscriminator || !p.name.StartsWith(DiscriminatorKey + ".", StringComparison.Ordinal))
                .ToDictionary(p => p.name, p => (Tensor)p.parameter);
            var problems = new List<string>();
            foreach (var name in targets.Keys.Where(n => !tensors.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal))
                problems.Add($"missing '{name}' (shape {Shape(targets[name])})");
            foreach (var name in tensors.Keys.Where(n => !targets.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal))
                problems.Add($"unexpected '{name}' (shape {Shape(tensors[name])})");
            foreach (var (name, target) in targets)
            {
                if (tensors.TryGetValue(name, out var source) && !source.shape.SequenceEqual(target.shape))
                    problems.Add($"'{name}' has shape {Shape(source)} but the network (ngf {networks.Options.BaseChannels}, {networks.Options.Dimensions}D) expects {Shape(target)}");
            }
            if (problems.Count > 0)
                throw new InvalidDataException($"Checkpoint '{path}' does not match the AD-GAN networks: {string.Join("; ", problems)}.");
            using var noGrad = no_grad();
            foreach (var (name, target) in targets)
            {
                var source = tensors[name];
                if (!source.is_floating_point())
                    throw new InvalidDataException($"Checkpoint '{path}': '{name}' has dtype {source.dtype}, expected a floating-point tensor.");
                target.copy_(source.to(target.dtype, target.device));
            }
            return hasDiscriminator;
        }
        finally
        {
            DisposeAll(tensors);
        }
    }

    /// <summary>
    /// The network tensors of a checkpoint, flattened to <c>enc.main.1.weight</c>-style names (the AdaIN buffers dropped).
    /// The caller owns (and disposes) the tensors.
    /// </summary>
    internal static Dictionary<string, Tensor> ReadFlat(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' could not be read as a PyTorch torch.save file: {e.Message}", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var network in new[] { EncoderKey, DecoderKey, DiscriminatorKey })
        {
            if (!root.ContainsKey(network)) continue;
            if (root[network] is not Hashtable stateDict)
                throw new InvalidDataException($"Checkpoint '{path}': '{network}' is a {root[network]?.GetType().Name ?? "null"}, expected a state dict.");
            foreach (DictionaryEntry entry in stateDict)
            {
                var key = entry.Key as string ?? throw new InvalidDataException($"Checkpoint '{path}': '{network}' has a non-string key '{entry.Key}'.");
                if (entry.Value is not Tensor t)
                    throw new InvalidDataException($"Checkpoint '{path}': '{network}.{key}' is a {entry.Value?.GetType().Name ?? "null"}, expected a tensor.");
                if (IsIgnoredBuffer(key)) { t.Dispose(); continue; }
                result[$"{network}.{key}"] = t;
            }
        }
        // Tensors of other top-level entries (optimiser state and the like) are not ours to keep.
        foreach (DictionaryEntry entry in root)
            if (entry.Key is string k && k is not (EncoderKey or DecoderKey or DiscriminatorKey))
                DisposeTensorsIn(entry.Value);
        if (!result.Keys.Any(k => k.StartsWith(EncoderKey + ".", StringComparison.Ordinal)) || !result.Keys.Any(k => k.StartsWith(DecoderKey + ".", StringComparison.Ordinal)))
        {
            DisposeAll(result);
            throw new InvalidDataException($"Checkpoint '{path}' lacks the '{EncoderKey}' and/or '{DecoderKey}' state dicts (top-level keys: {string.Join(", ", root.Keys.Cast<object>())}).");
        }
        return result;
    }

    private static bool IsIgnoredBuffer(string key) =>
        key.EndsWith(".running_mean", StringComparison.Ordinal) ||
        key.EndsWith(".running_var", StringComparison.Ordinal) ||
        key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static Tensor Require(Dictionary<string, Tensor> tensors, string path, string key) =>
        tensors.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"Checkpoint '{path}' has no tensor '{key}'.");

    private static string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }

    private static void DisposeTensorsIn(object? value)
    {
        switch (value)
        {
            case Tensor t: t.Dispose(); break;
            case IDictionary d: foreach (DictionaryEntry e in d) DisposeTensorsIn(e.Value); break;
            case IEnumerable e when value is not string: foreach (var item in e) DisposeTensorsIn(item); break;
        }
    }
}
