using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Persistence;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Cli.Commands;

/// <summary>
/// `adgan bench onnx`: the exported network on ONNX Runtime against the same weights on TorchSharp, in one process with the
/// same thread count; then what each choice of instance-normalisation statistics costs on an image that needs several tiles.
/// </summary>
internal static class BenchOnnxCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "Square tile sides for the network-alone timing, comma-separated.", DefaultValueFactory = _ => "512,1024" };
        var ngf = new Option<int>("--ngf") { Description = "Base channels of the seeded model (ignored with --model).", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "Threads of both runtimes.", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per runtime and size (after one warm-up pass).", DefaultValueFactory = _ => 3 };
        var model = new Option<string?>("--model") { Description = "Model zip to use instead of a seeded untrained model." };
        var image = new Option<string?>("--image") { Description = "Image for the statistics comparison (normalised with the model's settings); default a synthetic 1024 x 1024 pattern." };
        var command = new Command("onnx", "Seconds per network pass on ONNX Runtime and TorchSharp (same weights, one process), and the cost of per-tile, image-level and whole-image instance statistics.")
        {
            sizes, ngf, threads, repeats, model, image,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var sides = parseResult.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => int.TryParse(s, out int v) && v >= 8 ? v : throw new ArgumentException($"--sizes: '{s}' is not a side of at least 8.")).ToArray();
                return Run(sides, parseResult.GetValue(ngf), parseResult.GetValue(threads), parseResult.GetValue(repeats),
                    parseResult.GetValue(model), parseResult.GetValue(image), Console.Out);
            }
            catch (Exception e) when (e is ArgumentException or IOException or AdGanModelFormatException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int Run(int[] sides, int ngf, int threads, int repeats, string? modelPath, string? imagePath, TextWriter log)
    {
        if (threads < 1 || repeats < 1)
            throw new ArgumentException("--threads and --repeats must be at least 1.");
        torch.set_num_threads(threads);
        using var model = modelPath is null
            ? new AdGanSegmentationModel(new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = ngf }), new AdGanInferenceSettings { BaseChannels = ngf })
            : View(AdGanModelFile.LoadModel(new MLContext(), modelPath));
        if (model.Settings.Dimensions != 2)
            throw new ArgumentException("bench onnx measures 2D models.");
        using var memory = new MemoryStream();
        AdGanOnnxExporter.Export(model, memory);
        using var onnx = new OnnxSegmentationNetwork(memory.ToArray(), "exported", new OnnxSegmentationNetworkOptions { Threads = threads });
        log.WriteLine(Invariant($"bench onnx: ngf {model.Settings.BaseChannels}, {threads} threads (torch and ONNX Runtime), {repeats} timed passes after one warm-up; graph {memory.Length / 1e6:F1} MB"));

        using (no_grad())
        {
            var encoderStyle = model.Networks.Encoder.Style(AdGanDomain.Image).detach();
            var decoderStyle = model.Networks.Decoder.Style(AdGanDomain.Mask).detach();
            foreach (int side in sides)
            {
                var tile = Pattern(side, side);
                float[] torchOut = Array.Empty<float>(), onnxOut = Array.Empty<float>();
                var torchSeconds = Time(repeats, () =>
                {
                    using var scope = NewDisposeScope();
                    var x = tensor(tile, new long[] { 1, 1, side, side });
                    torchOut = model.Networks.Segment(x, encoderStyle, decoderStyle).tanh().contiguous().data<float>().ToArray();
                });
                var onnxSeconds = Time(repeats, () => onnxOut = onnx.Decode(tile, 1, side, side));
                double mp = side * (double)side / 1e6;
                log.WriteLine(Invariant($"  network alone {side}x{side}: TorchSharp {Median(torchSeconds):F3} s ({mp / Median(torchSeconds):F2} MP/s), ONNX Runtime {Median(onnxSeconds):F3} s ({mp / Median(onnxSeconds):F2} MP/s); ONNX/Torch speed {Median(torchSeconds) / Median(onnxSeconds):F2}x; max |diff| {MaxDifference(torchOut, onnxOut):E2}"));
                log.WriteLine(Invariant($"    all passes: TorchSharp {string.Join(" ", torchSeconds.Select(s => s.ToString("F3")))}; ONNX Runtime {string.Join(" ", onnxSeconds.Select(s => s.ToString("F3")))}"));
            }
        }

        CompareStatistics(model, onnx, imagePath, log);
        return 0;
    }

    // Disposing a view leaves the cached weights of a loaded model alone.
    private static AdGanSegmentationModel View(AdGanSegmentationModel cached) => cached.WithSettings(cached.Settings);

    /// <summary>Decoded maps of one image with image-level, per-tile and whole-image statistics, on TorchSharp and (where it can) ONNX Runtime.</summary>
    private static void CompareStatistics(AdGanSegmentationModel model, OnnxSegmentationNetwork onnx, string? imagePath, TextWriter log)
    {
        var image = imagePath is null
            ? new ImageBuffer<float>(Pattern(1024, 1024), ImageShape.Of2D(1024, 1024))
            : IntensityNormalizer.Normalize(MicroscopyImageReader.ReadImage(imagePath, new MicroscopyReadOptions { Channel = 0 }).Image, model.Settings.Normalization);
        if (model.Settings.ImageScale != 1.0)
            image = ImageResampler.Rescale(image, model.Settings.ImageScale);
        var tiling = model.Settings.Tiling;
        log.WriteLine(Invariant($"  statistics on a {image.Shape} working-scale image, tiles of {tiling.TileSize} (overlap {tiling.Overlap}):"));

        var byImage = Decode(model, tiling with { Statistics = TileStatistics.Image }, image, out double imageSeconds);
        var byTile = Decode(model, tiling with { Statistics = TileStatistics.Tile }, image, out double tileSeconds);
        var whole = Decode(model, tiling with { TileSize = Math.Max(image.Shape.Height, image.Shape.Width) }, image, out double wholeSeconds);
        var clock = Stopwatch.StartNew();
        var onnxByTile = TiledInference.Run(image, x => OnnxTile(onnx, x), tiling with { Statistics = TileStatistics.Tile });
        double onnxTileSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var onnxWhole = onnx.Decode(image.Data, 1, image.Shape.Height, image.Shape.Width);
        double onnxWholeSeconds = clock.Elapsed.TotalSeconds;

        float threshold = model.LabelOptions.ForegroundThreshold;
        log.WriteLine(Invariant($"    TorchSharp, image statistics (statistics pass + output pass): {imageSeconds:F2} s"));
        log.WriteLine(Invariant($"    TorchSharp, per-tile statistics (one pass):                    {tileSeconds:F2} s; vs image statistics {Describe(byTile, byImage.Data, threshold)}"));
        log.WriteLine(Invariant($"    TorchSharp, whole image as one input:                         {wholeSeconds:F2} s; vs image statistics {Describe(whole, byImage.Data, threshold)}"));
        log.WriteLine(Invariant($"    ONNX Runtime, per-tile statistics (same tiling):              {onnxTileSeconds:F2} s; vs TorchSharp per-tile max |diff| {MaxDifference(onnxByTile.Data, byTile.Data):E2}"));
        log.WriteLine(Invariant($"    ONNX Runtime, whole image as one input:                       {onnxWholeSeconds:F2} s; vs TorchSharp whole image max |diff| {MaxDifference(onnxWhole, whole.Data):E2}"));
    }

    private static ImageBuffer<float> Decode(AdGanSegmentationModel model, TilingOptions tiling, ImageBuffer<float> image, out double seconds)
    {
        using var variant = model.WithSettings(model.Settings with { Tiling = tiling, ImageScale = 1.0, PerImageScale = false, TestTimeAugmentation = false });
        var clock = Stopwatch.StartNew();
        var decoded = variant.DecodeNormalized(image);
        seconds = clock.Elapsed.TotalSeconds;
        return decoded;
    }

    private static Tensor OnnxTile(OnnxSegmentationNetwork onnx, Tensor x)
    {
        var data = x.contiguous().data<float>().ToArray();
        var decoded = onnx.Decode(data, 1, (int)x.shape[2], (int)x.shape[3]);
        return tensor(decoded, x.shape);
    }

    private static string Describe(ImageBuffer<float> map, float[] reference, float threshold)
    {
        double sum = 0;
        long crossed = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            sum += Math.Abs(map.Data[i] - reference[i]);
            if (map.Data[i] > threshold != reference[i] > threshold)
                crossed++;
        }
        return Invariant($"max |diff| {MaxDifference(map.Data, reference):F3}, mean {sum / reference.Length:F4}, {crossed / (double)reference.Length:P2} of pixels change sides of the labelling threshold {threshold}");
    }

    private static double[] Time(int repeats, Action pass)
    {
        pass();
        var seconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            seconds[i] = clock.Elapsed.TotalSeconds;
        }
        return seconds;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static float MaxDifference(float[] a, float[] b)
    {
        float max = 0;
        for (int i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>A smooth pattern in [-1, 1] with blob-like bright spots, so instance statistics vary across the image.</summary>
    private static float[] Pattern(int height, int width)
    {
        var data = new float[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double blobs = Math.Sin(x * 0.11) * Math.Sin(y * 0.13);
                double drift = (x + 2.0 * y) / (width + 2.0 * height);
                data[y * width + x] = (float)Math.Clamp(blobs * blobs * 2 - 1 + 0.6 * drift, -1, 1);
            }
        return data;
    }
}
