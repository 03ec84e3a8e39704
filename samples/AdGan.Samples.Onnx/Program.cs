using AdGan.Samples.Onnx;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;

// Usage: dotnet run --project samples/AdGan.Samples.Onnx -- MODEL.onnx IMAGE [LABELS.png]
// MODEL.onnx comes from `adgan export --model model.zip --onnx MODEL.onnx`.
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: AdGan.Samples.Onnx MODEL.onnx IMAGE [LABELS.png]");
    return 2;
}

string output = args.Length == 3 ? args[2] : Path.ChangeExtension(Path.GetFileName(args[1]), null) + "-labels.png";
var image = MicroscopyImageReader.Read(args[1], new MicroscopyReadOptions { FirstPageOnly = true });
var (_, labels) = OnnxSample.Segment(new MLContext(seed: 1), args[0], image);
MicroscopyImageWriter.WriteLabels(output, labels);
Console.WriteLine($"{Path.GetFileName(args[1])}: {labels.Data.Distinct().Count(v => v != 0)} nuclei -> {output}");
return 0;
