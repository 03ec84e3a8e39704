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
        var network = new Option<SegmentationNetwork?>("--network") { Description = "Network to export: Generator or Student (the model must carry one). Default: the one the model segments with." };
        var command = new Command("export", "Export a model's segmentation network as an ONNX graph that ONNX Runtime runs without libtorch; settings and labelling defaults go in its metadata.") { model, onnx, network };
        command.SetAction(parseResult =>
        {
            try
            {
                Run(parseResult.GetValue(model)!, parseResult.GetValue(onnx)!, Console.Out, parseResult.GetValue(network));
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

    internal static void Run(string modelPath, string onnxPath, TextWriter log, SegmentationNetwork? network = null)
    {
        var loaded = AdGanModelFile.LoadModel(new MLContext(), modelPath);
        if (network == SegmentationNetwork.Student && loaded.Student is null)
            throw new ArgumentException($"--network Student: '{modelPath}' carries no student network (train with --student on).");
        AdGanOnnxExporter.Export(loaded, onnxPath, network);
        var settings = loaded.Settings with { Network = network ?? loaded.Settings.Network };
        string what = settings.Network == SegmentationNetwork.Student
            ? $"student, {loaded.Student!.Network.Options.BaseChannels} channels, depth {loaded.Student.Network.Options.Depth}"
            : $"generator, {settings.Dimensions}D, ngf {settings.BaseChannels}";
        log.WriteLine($"ONNX graph written to {onnxPath} ({new FileInfo(onnxPath).Length / 1e6:F1} MB; {what}, opset {AdGanOnnxExporter.OpsetVersion}).");
        if (settings.Network == SegmentationNetwork.Generator && settings.Tiling.Statistics == TileStatistics.Image)
            log.WriteLine("Note: the graph normalises each input with its own instance statistics. The model tiles with image-level statistics, " +
                          "so feed a whole image as one input to match it, or tiles with per-tile statistics.");
    }
}
