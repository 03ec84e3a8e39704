using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Reporting;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Cli.Commands;

/// <summary>`adgan segment`: label maps for a folder of images, with a trained AD-GAN model or the classical threshold baseline.</summary>
internal static class SegmentCommand
{
    /// <summary>Largest --scale of the threshold method (the bound of a model's working scale).</summary>
    private const double MaxScale = 16;

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "AD-GAN model zip (from adgan train or adgan import); not needed with --method threshold." };
        var images = new Option<string>("--images") { Description = "Folder of images to segment.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for label maps (16-bit PNG for images, TIFF for volumes; same file names).", Required = true };
        var method = new Option<string>("--method") { Description = "adgan (default) or threshold (Otsu + distance watershed).", DefaultValueFactory = _ => "adgan" };
        var minDiameter = new Option<double>("--min-diameter") { Description = "Threshold method: smallest nucleus diameter in pixels at the working scale.", DefaultValueFactory = _ => 10 };
        var scale = new Option<double>("--scale") { Description = "Threshold method: working scale (images resized by this factor; labels come back at full size).", DefaultValueFactory = _ => 1.0 };
        var decoded = new Option<bool>("--decoded") { Description = "AD-GAN: also write the decoded maps (8-bit, 0-255 = [-1, 1]) to OUT/decoded." };
        var overlay = new Option<bool>("--overlay") { Description = "Also write contour overlays of the labels over each image to OUT/overlays (PNG; volumes show their middle slice)." };
        var tta = new Option<bool>("--tta") { Description = "AD-GAN: test-time augmentation, average the decoded maps over flips (2D: 4, volumes: 8; that many times slower)." };
        var perImageScale = new Option<bool>("--per-image-scale") { Description = "AD-GAN: rescale each image so its measured nuclei reach the network at the size the model was trained at (models of format version 2 trained here)." };
        var decoding = new Option<AdGanDecoding?>("--decoding") { Description = "AD-GAN: Split (foreground split by a distance watershed at the working scale) or Cores (the reference's cores as markers); default: the model's (Split unless saved otherwise)." };
        var imageBand = new Option<double?>("--image-band") { Description = "AD-GAN, images: band in working-scale pixels around each nucleus boundary inside which the image's own Otsu threshold places the boundary (default: the model's, 2 with split decoding; 0 keeps the decoded map's boundary)." };
        var network = new Option<SegmentationNetwork?>("--network") { Description = "AD-GAN: Generator, or Student (the small network trained after AD-GAN with adgan train --student on; the model must carry one); default: the model's (Generator unless saved otherwise)." };
        var imageThreshold = new Option<ThresholdMethod?>("--image-threshold") { Description = "AD-GAN, images: the threshold that refits boundaries within --image-band: Otsu (default) or LogOtsu (on log intensities: keeps dim nuclei beside a few very bright ones)." };
        var command = new Command("segment", "Segment nuclei into instance label maps.") { model, images, output, method, minDiameter, scale, decoded, overlay, tta, perImageScale, decoding, imageBand, imageThreshold, network };
        var run = new SegmentRunArguments();
        foreach (var option in run.All)
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            try
            {
                string imagesDir = parseResult.GetValue(images)!, outDir = parseResult.GetValue(output)!;
                var extras = run.Build(parseResult, outDir);
                switch (parseResult.GetValue(method)?.ToLowerInvariant())
                {
                    case "adgan":
                        var path = parseResult.GetValue(model) ?? throw new ArgumentException("--model is required with --method adgan.");
                        return RunAdGan(path, imagesDir, outDir, parseResult.GetValue(decoded), Console.Out, parseResult.GetValue(overlay),
                            parseResult.GetValue(tta), parseResult.GetValue(perImageScale), parseResult.GetValue(decoding), parseResult.GetValue(imageBand), extras, parseResult.GetValue(network),
                            parseResult.GetValue(imageThreshold));
                    case "threshold":
                        return RunThreshold(imagesDir, outDir, parseResult.GetValue(minDiameter), parseResult.GetValue(scale), Console.Out, parseResult.GetValue(overlay), extras);
                    default:
                        throw new ArgumentException($"--method must be adgan or threshold, not '{parseResult.GetValue(method)}'.");
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or SegmentationException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static int RunAdGan(string modelPath, string imagesDir, string outDir, bool writeDecoded, TextWriter log, bool writeOverlays = false,
        bool testTimeAugmentation = false, bool perImageScale = false, AdGanDecoding? decoding = null, double? imageBand = null, SegmentRunOptions? extras = null, SegmentationNetwork? network = null,
        ThresholdMethod? imageThreshold = null)
    {
        var marker = AdGanModelFile.ReadMarker(modelPath);
        if (imageBand > 0 && marker.Dimensions == 3)
            throw new ArgumentException($"--image-band {imageBand} refines images only; '{modelPath}' segments volumes.");
        using var adgan = AdGanModelFile.LoadModel(new MLContext(), modelPath, s => s with
        {
            TestTimeAugmentation = s.TestTimeAugmentation || testTimeAugmentation,
            PerImageScale = s.PerImageScale || perImageScale,
            Decoding = decoding ?? s.Decoding,
            ImageBoundaryBand = imageBand ?? s.ImageBoundaryBand,
            ImageThresholdMethod = imageThreshold ?? s.ImageThresholdMethod,
            Network = network ?? s.Network,
        });
        var segmenter = new NucleusSegmenter(adgan);
        var read = ImageReadArguments.Create(firstPageOnly: marker.Dimensions == 2);
        extras = SegmentSettings.ForAdGan(extras, modelPath, marker.ModelId, adgan.Settings, segmenter.LabelOptions);
        return ForEachImage(imagesDir, outDir, read, log, (image, file) =>
        {
            var result = segmenter.Segment(image, $"'{file}'");
            return (result.Labels, result.DecodedMap);
        }, writeDecoded, writeOverlays, extras);
    }

    internal static int RunThreshold(string imagesDir, string outDir, double minDiameter, double scale, TextWriter log, bool writeOverlays = false, SegmentRunOptions? extras = null)
    {
        if (!(scale > 0 && scale <= MaxScale))
            throw new ArgumentException($"--scale must lie in (0, {MaxScale}], not {scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var segmenter = new ThresholdSegmentation(new ThresholdSegmentationOptions { MinDiameter = minDiameter });
        extras = SegmentSettings.ForThreshold(extras, minDiameter, scale);
        // Multi-page TIFFs are volumes, segmented in 3D on cubic voxels when their voxel size is recorded.
        return ForEachImage(imagesDir, outDir, ImageReadArguments.Create(), log, (image, _) => (IsotropicVolumes.ApplyLabels(image, iso =>
        {
            var working = scale == 1.0 ? iso : ImageResampler.Rescale(iso, scale, antiAlias: false);
            var labels = segmenter.Segment(working);
            return scale == 1.0 ? labels : ImageResampler.ResizeNearest(labels, iso.Shape);
        }), null), writeDecoded: false, writeOverlays, extras);
    }

    private static int ForEachImage(string imagesDir, string outDir, MicroscopyReadOptions read, TextWriter log,
        Func<ImageBuffer<float>, string, (ImageBuffer<uint> Labels, ImageBuffer<float>? Decoded)> segment, bool writeDecoded, bool writeOverlays = false,
        SegmentRunOptions? extras = null)
    {
        var run = new SegmentRun(imagesDir, outDir, extras ?? SegmentRunOptions.None, log);
        var files = run.Select(run.ListFiles());
        Directory.CreateDirectory(outDir);
        var result = BatchRunner.Run(files, file =>
        {
            try
            {
                var image = ImageReadArguments.Read(file, read);
                var (labels, decoded) = segment(image, file);
                string ext = labels.Shape.Is3D ? ".tif" : ".png";
                var written = new List<string> { run.OutputBase(file) + ext };
                MicroscopyImageWriter.WriteLabels(written[0], labels);
                if (writeDecoded && decoded is not null)
                {
                    written.Add(run.OutputBase(file, "decoded") + ext);
                    MicroscopyImageWriter.Write(written[^1], decoded, IntensityScaling.SignedUnit(8));
                }
                if (writeOverlays)
                {
                    written.Add(run.OutputBase(file, "overlays") + ".png");
                    OverlayRenderer.Save(written[^1], image, new[] { new OverlayLayer(labels, PlotColor.Red) });
                }
                run.Completed(file, image, labels, decoded, written);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                run.Failed(file, e);
                throw;
            }
        }, log);
        run.Finish();
        return result.Summarise(log);
    }
}
