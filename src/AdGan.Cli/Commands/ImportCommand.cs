using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Synthesis;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Cli.Commands;

/// <summary>`adgan import`: turns the authors' PyTorch checkpoint into a deployable model zip.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var pth = new Option<string>("--pth") { Description = "The authors' checkpoint (torch.save of {enc, dec, dis}).", Required = true };
        var ngf = new Option<int?>("--ngf") { Description = "Base channels the checkpoint was trained with (checked against the file; inferred when omitted)." };
        var output = new Option<string>("--out") { Description = "Model zip to write.", Required = true };
        var semantic = new Option<bool>("--semantic") { Description = "The checkpoint was trained on semantic masks (--no_inst); default 3-level instance masks." };
        var scale = new Option<double>("--scale") { Description = "Working scale the checkpoint expects (images are resized by it).", DefaultValueFactory = _ => 1.0 };
        var command = new Command("import", "Import an AD-GAN checkpoint of the authors' PyTorch code (records their fixed 8-bit normalisation).") { pth, ngf, output, semantic, scale };
        command.SetAction(parseResult =>
        {
            try
            {
                Run(parseResult.GetValue(pth)!, parseResult.GetValue(ngf), parseResult.GetValue(output)!, parseResult.GetValue(semantic), parseResult.GetValue(scale));
                Console.WriteLine($"Model written to {parseResult.GetValue(output)}.");
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or AdGanModelFormatException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static void Run(string pthPath, int? ngf, string output, bool semantic, double scale)
    {
        var inferred = PyTorchCheckpointImporter.InferOptions(pthPath);
        if (ngf is int expected && expected != inferred.BaseChannels)
            throw new ArgumentException($"--ngf {expected} does not match '{pthPath}', whose weights have ngf {inferred.BaseChannels}.");
        var networks = PyTorchCheckpointImporter.Import(pthPath);
        var settings = new AdGanInferenceSettings
        {
            BaseChannels = networks.Options.BaseChannels,
            StyleMlpWidth = networks.Options.StyleMlpWidth,
            Dimensions = networks.Options.Dimensions,
            Coding = semantic ? SyntheticMaskCoding.Semantic : SyntheticMaskCoding.ThreeLevel,
            ImageScale = scale,
            Normalization = new IntensityNormalizerOptions { Mode = NormalizationMode.Fixed8Bit },
        };
        using var model = new AdGanSegmentationModel(networks, settings);
        AdGanModelFile.Save(new MLContext(), model, output);
    }
}
