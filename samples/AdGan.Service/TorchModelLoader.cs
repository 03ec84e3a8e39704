using Microsoft.ML;
using Microsoft.ML.AdGan.Estimators;
using TorchSharp;

namespace AdGan.Service;

/// <summary>
/// Everything of the service that touches TorchSharp, kept apart so that a service on ONNX Runtime never compiles a call into
/// it (and so never loads libtorch).
/// </summary>
internal static class TorchModelLoader
{
    /// <summary>Sets Torch's threads and loads the model zip (once per process: the library caches loaded models).</summary>
    public static Segmenter Load(ServiceOptions options)
    {
        if (options.TorchThreads is { } threads)
            torch.set_num_threads(threads);
        var ml = new MLContext();
        var model = options.Network is { } network
            ? AdGanModelFile.LoadModel(ml, options.ModelPath, s => s with { Network = network })
            : AdGanModelFile.LoadModel(ml, options.ModelPath);
        return new Segmenter(model);
    }
}
