using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Cli.Commands;

/// <summary>`adgan export`: writes a model's segmentation network as a standard ONNX graph with the model's settings in its metadata.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip to export.", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "ONNX file to write: normalised tile 'image' (N,1,H,W or N,1,D,H,W) to decoded map 'decoded' in [-1, 1].", Required = true };
        var command = new Command("export", "Export a model's segmentation network as an ONNX graph that ONNX Runtime runs without libtorch; settings and labelling defaults go in its metadata.") { model, onnx };
        command.SetAction(parseResult =>
        {
            try
            {
                Run(parseResult.GetValue(model)!, parseResult.GetValue(onnx)!, Console.Out);
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static void Run(string modelPath, string onnxPath, TextWriter log)
    {
        var model = AdGanModelFile.LoadModel(new MLContext(), modelPath);
        AdGanOnnxExporter.Export(model, onnxPath);
        var settings = model.Settings;
        log.WriteLine($"ONNX graph written to {onnxPath} ({new FileInfo(onnxPath).Length / 1e6:F1} MB; {settings.Dimensions}D, ngf {settings.BaseChannels}, opset {AdGanOnnxExporter.OpsetVersion}).");
        if (settings.Tiling.Statistics == TileStatistics.Image)
            log.WriteLine("Note: the graph normalises each input with its own instance statistics. The model tiles with image-level statistics, " +
                          "so feed a whole image as one input to match it, or tiles with per-tile statistics.");
    }
}
