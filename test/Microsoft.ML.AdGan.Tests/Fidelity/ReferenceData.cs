using System.Text.Json;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Fidelity;

/// <summary>Access to the authors' reference vectors (ngf 8) copied under TestData/adgan-ngf8, and comparison helpers.</summary>
internal static class ReferenceData
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "adgan-ngf8");

    public static string File(string name) => Path.Combine(Directory, name);

    public static Tensor Array(string name) => NpyReader.ReadTensor(File(name + ".npy"));

    /// <summary>Networks with the reference's initial weights.</summary>
    public static AdGanNetworks InitialNetworks()
    {
        var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8 });
        PyTorchCheckpointImporter.Load(networks, File("init.pth"), requireDiscriminator: true);
        return networks;
    }

    public static JsonElement Manifest()
    {
        using var stream = System.IO.File.OpenRead(File("manifest.json"));
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    /// <summary>||actual - expected|| / ||expected||.</summary>
    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to_type(ScalarType.Float64);
        var e = expected.detach().to_type(ScalarType.Float64);
        CollectionAssert.AreEqual(e.shape, a.shape, "shape");
        return (a - e).norm().item<double>() / e.norm().item<double>();
    }

    /// <summary>Fixes torch's intra-op threads so results are reproducible run to run.</summary>
    public static void FixThreads() => torch.set_num_threads(1);
}
