using System.Collections;
using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>
/// Access to the authors' reference vectors (ngf 8): the float32 run under TestData/adgan-ngf8 and the same step computed
/// in float64 under TestData/adgan-ngf8-f64, and comparison helpers.
/// </summary>
internal static class ReferenceData
{
    /// <summary>Learning rate of the reference step (both optimisers).</summary>
    public const double LearningRate = 2e-4;

    /// <summary>Adam's epsilon in the reference.</summary>
    public const double AdamEpsilon = 1e-8;

    /// <summary>Weight decay of the reference optimisers.</summary>
    public const double WeightDecay = 1e-4;

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "adgan-ngf8");

    public static string Float64Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "adgan-ngf8-f64");

    public static string File(string name) => Path.Combine(Directory, name);

    /// <summary>An array of the float32 run.</summary>
    public static Tensor Array(string name) => NpyReader.ReadTensor(File(name + ".npy"));

    /// <summary>An array of the float64 run, as stored (float32, rounded from the float64 result), widened to float64.</summary>
    public static Tensor Float64Array(string name) => NpyReader.ReadTensor(Path.Combine(Float64Directory, name + ".npy")).to_type(ScalarType.Float64);

    /// <summary>
    /// The inputs of the float64 run. The stored x_b holds the masks' middle level -1/255 rounded to float32; the run used
    /// it in float64 (its losses agree to 1e-15 with that value and only to 3e-11 with the rounded one), so it is restored.
    /// </summary>
    public static (Tensor XA, Tensor XB) Float64Inputs()
    {
        var xB = Float64Array("x_b");
        var middle = xB.abs().lt(0.5);
        Assert.IsLessThan(1e-9, xB.masked_select(middle).sub(-1.0 / 255).abs().max().item<double>(), "x_b levels are -1, -1/255 and 1");
        return (Float64Array("x_a"), full_like(xB, -1.0 / 255).where(middle, xB));
    }

    /// <summary>Networks with the reference's initial weights (init.pth), in float32 or cast to <paramref name="dtype"/>.</summary>
    public static AdGanNetworks InitialNetworks(ScalarType dtype = ScalarType.Float32)
    {
        var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8 });
        PyTorchCheckpointImporter.Load(networks, File("init.pth"), requireDiscriminator: true);
        if (dtype != ScalarType.Float32)
            networks.to(dtype);
        return networks;
    }

    /// <summary>A state dict of the float32 run (gradients or weights), flattened to <c>enc.main.1.weight</c>-style names.</summary>
    public static Dictionary<string, Tensor> StateDict(string name) => PyTorchCheckpointImporter.ReadFlat(File(name + ".pth"));

    /// <summary>A float64 state dict, stored one file per network (<c>name.enc.pth</c>, ...) to keep files small.</summary>
    public static Dictionary<string, Tensor> Float64StateDict(string name)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var network in new[] { "enc", "dec", "dis" })
        {
            var root = PyTorchUnpickler.UnpickleStateDict(Path.Combine(Float64Directory, $"{name}.{network}.pth"));
            foreach (DictionaryEntry entry in (Hashtable)root[network]!)
            {
                var t = (Tensor)entry.Value!;
                Assert.AreEqual(ScalarType.Float64, t.dtype, $"{name}: {network}.{entry.Key}");
                result[$"{network}.{entry.Key}"] = t;
            }
        }
        return result;
    }

    public static JsonElement Manifest() => ReadManifest(File("manifest.json"));

    public static JsonElement Float64Manifest() => ReadManifest(Path.Combine(Float64Directory, "manifest.json"));

    /// <summary>||actual - expected|| / ||expected||, computed in float64.</summary>
    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to_type(ScalarType.Float64);
        var e = expected.detach().to_type(ScalarType.Float64);
        CollectionAssert.AreEqual(e.shape, a.shape, "shape");
        return (a - e).norm().item<double>() / e.norm().item<double>();
    }

    /// <summary>||t||, in float64.</summary>
    public static double Norm(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).norm().item<double>();
    }

    /// <summary>
    /// A conv bias followed by an instance norm / AdaIN cannot change the output: its true gradient is exactly 0, and every
    /// implementation returns rounding noise. Every conv bias is one, except the decoder's last conv and the
    /// discriminator's first and last (24 tensors at ngf 8).
    /// </summary>
    public static bool IsBiasBeforeNormalization(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains(".mlp.", StringComparison.Ordinal) &&
        name is not ("dec.main.11.bias" or "dis.main.0.bias" or "dis.main.11.bias");

    /// <summary>The weight tensor that goes with a bias.</summary>
    public static string WeightOf(string biasName) => biasName[..^"bias".Length] + "weight";

    /// <summary>Fixes torch's intra-op threads so results are reproducible run to run.</summary>
    public static void FixThreads() => torch.set_num_threads(1);

    public static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }

    private static JsonElement ReadManifest(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }
}
