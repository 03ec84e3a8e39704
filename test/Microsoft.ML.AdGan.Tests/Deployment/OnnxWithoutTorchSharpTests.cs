using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;

namespace Microsoft.ML.AdGan.Tests.Deployment;

[TestClass]
public sealed class OnnxWithoutTorchSharpTests
{
    /// <summary>
    /// Loads the library afresh in its own load context, which records every assembly it is asked for, and runs the ONNX
    /// network there: TorchSharp (and so libtorch) must never be requested.
    /// </summary>
    [TestMethod]
    public void TheOnnxRunnerNeverLoadsTorchSharp()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        using (var model = OnnxExportTests.SeededModel(2))
            AdGanOnnxExporter.Export(model, path);
        var tile = OnnxExportTests.Tile(ImageShape.Of2D(20, 24)).Data;

        var context = new RecordingLoadContext(AppContext.BaseDirectory);
        float[] decoded;
        try
        {
            var library = context.LoadFromAssemblyName(new AssemblyName("Microsoft.ML.AdGan"));
            Assert.AreSame(context, AssemblyLoadContext.GetLoadContext(library), "the library is a fresh copy, not the one this test process already uses");
            var type = library.GetType("Microsoft.ML.AdGan.Deployment.OnnxSegmentationNetwork", throwOnError: true)!;
            using var network = (IDisposable)Activator.CreateInstance(type, path, null)!;
            var decode = type.GetMethod("Decode", new[] { typeof(float[]), typeof(int), typeof(int), typeof(int) })!;
            decoded = (float[])decode.Invoke(network, new object[] { tile, 1, 20, 24 })!;
        }
        finally
        {
            context.Unload();
        }

        Assert.HasCount(tile.Length, decoded);
        Assert.IsTrue(decoded.All(v => v is >= -1 and <= 1), "decoded values lie in [-1, 1]");
        CollectionAssert.Contains(context.Requested, "Microsoft.ML.OnnxRuntime", "the context did resolve the runner's dependencies itself");
        Assert.IsFalse(context.Requested.Any(n => n.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)),
            $"assemblies requested: {string.Join(", ", context.Requested)}");
        Assert.IsFalse(context.NativeRequested.Any(n => n.Contains("torch", StringComparison.OrdinalIgnoreCase)),
            $"native libraries requested: {string.Join(", ", context.NativeRequested)}");
    }

    /// <summary>Resolves the application's own assemblies and natives from its folder, recording every request; framework assemblies come from the default context.</summary>
    private sealed class RecordingLoadContext(string folder) : AssemblyLoadContext("onnx-only", isCollectible: true)
    {
        public List<string> Requested { get; } = new();

        public List<string> NativeRequested { get; } = new();

        protected override Assembly? Load(AssemblyName name)
        {
            lock (Requested)
                Requested.Add(name.Name!);
            string path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string name)
        {
            lock (NativeRequested)
                NativeRequested.Add(name);
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            string native = Path.Combine(folder, "runtimes", $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native");
            foreach (var file in new[] { $"lib{name}.so", $"lib{name}.dylib", $"{name}.dll", name })
            {
                string candidate = Path.Combine(native, file);
                if (File.Exists(candidate))
                    return LoadUnmanagedDllFromPath(candidate);
            }
            return IntPtr.Zero;
        }
    }
}
