using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.AdGan.Deployment;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using Onnx;
using TorchSharp;
using ReLU = TorchSharp.Modules.ReLU;
using PadBase = TorchSharp.Modules.PadBase;
using ReflectionPad2d = TorchSharp.Modules.ReflectionPad2d;
using ReflectionPad3d = TorchSharp.Modules.ReflectionPad3d;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Persistence;

/// <summary>
/// Writes the segmentation network of an AD-GAN model as a standard ONNX graph (opset <see cref="OpsetVersion"/>), built
/// from the weights: reflection pads, convolutions, transposed convolutions, instance normalisations whose scale and
/// bias are the AdaIN parameters of the image domain (encoder) and mask domain (decoder), computed once and stored as
/// constants, ReLU, residual additions and tanh; or, when the model's settings select it, the student network (convolutions,
/// max-pooling, nearest upsampling, skip sums, tanh). The inference settings and labelling defaults travel as JSON in the
/// graph's metadata; see <see cref="AdGanOnnxFormat"/> for the contract. Weights are exported in float32 whatever the
/// model's compute precision.
/// </summary>
public static class AdGanOnnxExporter
{
    /// <summary>ONNX operator set the graph uses.</summary>
    public const int OpsetVersion = 17;

    // IR version 8 is the one that introduced opset 17.
    private const long IrVersion = 8;

    /// <summary>
    /// Writes the graph of <paramref name="model"/>'s <paramref name="network"/> (null: the one its settings select) to
    /// <paramref name="path"/> atomically (temporary file, then rename).
    /// </summary>
    public static void Export(AdGanSegmentationModel model, string path, SegmentationNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        try
        {
            using (var stream = File.Create(temp))
                Export(model, stream, network);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Writes the graph of <paramref name="model"/>'s <paramref name="network"/> (null: the one its settings select) to <paramref name="stream"/> (left open).</summary>
    public static void Export(AdGanSegmentationModel model, Stream stream, SegmentationNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        // A variant with other settings has an id of its own: the export records the model's id and the chosen network.
        using var variant = network is null || network == model.Settings.Network ? null : model.WithSettings(model.Settings with { Network = network.Value });
        Build(variant ?? model, model.Id).WriteTo(stream);
    }

    /// <summary>The ONNX model of <paramref name="model"/>'s segmentation network, recording <paramref name="id"/>.</summary>
    internal static ModelProto Build(AdGanSegmentationModel model, Guid id)
    {
        ArgumentNullException.ThrowIfNull(model);
        var settings = model.Settings;
        int d = settings.Dimensions;
        var graph = new OnnxGraphWriter("adgan_segmentation");
        var spatialNames = d == 2 ? new object[] { "height", "width" } : new object[] { "depth", "height", "width" };
        var dims = new object[] { "batch", 1L }.Concat(spatialNames).ToArray();
        var input = graph.Input(AdGanOnnxFormat.InputName, dims);

        bool student = settings.Network == SegmentationNetwork.Student;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            string logits, spatial;
            if (student)
            {
                // The student pads by replication to a multiple of 2^depth, as its forward does.
                var network = model.Student!.Network;
                (var padded, spatial) = PadToMultiple(graph, input, d, network.Options.SizeMultiple, "edge");
                logits = StudentWriter.Write(graph, network, padded);
            }
            else
            {
                (var padded, spatial) = PadToMultiple(graph, input, d, TiledInference.SizeMultiple, "reflect");
                var encoderStyle = Values(model.Networks.Encoder.Style(AdGanDomain.Image));
                var decoderStyle = Values(model.Networks.Decoder.Style(AdGanDomain.Mask));
                var content = new StyledWriter(graph, "enc", encoderStyle, d).Write(model.Networks.Encoder, padded);
                logits = new StyledWriter(graph, "dec", decoderStyle, d).Write(model.Networks.Decoder, content);
            }
            var decoded = graph.Node("Tanh", "tanh", new[] { logits });
            var cropped = graph.Node("Slice", "crop", new[]
            {
                decoded, graph.Constant("crop.starts", new long[d], d), spatial,
                graph.Constant("crop.axes", Enumerable.Range(2, d).Select(a => (long)a).ToArray(), d),
            });
            graph.Output(cropped, AdGanOnnxFormat.OutputName, dims);
        }

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Microsoft.ML.AdGan",
            ProducerVersion = typeof(AdGanOnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Domain = "ml.adgan",
            ModelVersion = AdGanOnnxFormat.FormatVersion,
            DocString = student
                ? $"AD-GAN nuclei segmentation, student network ({model.Student!.Network.Options.BaseChannels} channels, depth {model.Student.Network.Options.Depth}): " +
                  $"a normalised tile '{AdGanOnnxFormat.InputName}' to its decoded map '{AdGanOnnxFormat.OutputName}' = tanh(S(x)); no normalisation layers."
                : $"AD-GAN nuclei segmentation, {d}D, ngf {settings.BaseChannels}: a normalised tile '{AdGanOnnxFormat.InputName}' " +
                  $"to its decoded map '{AdGanOnnxFormat.OutputName}' = tanh(G(E(x, image), mask)), each input normalised with its own instance statistics.",
            Graph = graph.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        AddMetadata(onnx, AdGanOnnxFormat.FormatKey, AdGanOnnxFormat.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddMetadata(onnx, AdGanOnnxFormat.ModelIdKey, id.ToString());
        AddMetadata(onnx, AdGanOnnxFormat.InferenceSettingsKey, JsonSerializer.Serialize(settings, AdGanOnnxFormat.JsonOptions));
        AddMetadata(onnx, AdGanOnnxFormat.LabellingKey, JsonSerializer.Serialize(model.LabelOptions, AdGanOnnxFormat.JsonOptions));
        AddMetadata(onnx, AdGanOnnxFormat.InstanceStatisticsKey, AdGanOnnxFormat.PerInputStatistics);
        return onnx;
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    /// <summary>
    /// Pads every spatial axis at its end up to a multiple of <paramref name="multiple"/> (ONNX pad <paramref name="mode"/>),
    /// as the network pads a tile; returns the padded value and the original spatial sizes (int64, for the final crop).
    /// </summary>
    private static (string Padded, string Spatial) PadToMultiple(OnnxGraphWriter graph, string input, int d, long multiple, string mode)
    {
        var shape = graph.Node("Shape", "size.shape", new[] { input });
        var spatial = graph.Node("Slice", "size.spatial", new[]
        {
            shape, graph.Constant("size.from", new long[] { 2 }, 1), graph.Constant("size.to", new long[] { 2 + d }, 1),
        });
        var multipleName = graph.Constant("size.multiple", new[] { multiple }, 1);
        var remainder = graph.Node("Mod", "size.remainder", new[] { spatial, multipleName });
        var missing = graph.Node("Sub", "size.missing", new[] { multipleName, remainder });
        var extra = graph.Node("Mod", "size.extra", new[] { missing, multipleName });
        // ONNX pads: every axis's start, then every axis's end; only the ends of the spatial axes grow.
        var fixedPads = graph.Constant("size.fixed_pads", new long[2 + d + 2], 2 + d + 2);
        var pads = graph.Node("Concat", "size.pads", new[] { fixedPads, extra }, OnnxGraphWriter.Int("axis", 0));
        var padded = graph.Node("Pad", "size.pad", new[] { input, pads }, OnnxGraphWriter.String("mode", mode));
        return (padded, spatial);
    }

    private static float[] Values(Tensor tensor) => tensor.detach().to(float32).cpu().contiguous().data<float>().ToArray();

    /// <summary>Writes the layers of one styled network (encoder or decoder), consuming its style vector in network order.</summary>
    private sealed class StyledWriter(OnnxGraphWriter graph, string prefix, float[] style, int dimensions)
    {
        private int _offset;

        public string Write(StyledNetwork network, string x)
        {
            if (style.Length != network.StyleLength)
                throw new InvalidOperationException($"{prefix}: the style vector has {style.Length} values; the network consumes {network.StyleLength}.");
            var main = Child(network, "main", prefix);
            foreach (var (name, layer) in main.named_children())
                x = Layer($"{prefix}.main.{name}", layer, x);
            if (_offset != style.Length)
                throw new InvalidOperationException($"{prefix}: the export consumed {_offset} of {style.Length} style values; the network has a layer it does not know.");
            return x;
        }

        private string Layer(string name, nn.Module layer, string x) => layer switch
        {
            ReflectionPad2d or ReflectionPad3d => ReflectionPad(name, (PadBase)layer, x),
            Convolution conv => Convolution(name, conv, x),
            TransposedConvolution up => TransposedConvolution(name, up, x),
            AdaptiveInstanceNorm norm => AdaptiveNorm(name, norm, x),
            ReLU => graph.Node("Relu", name, new[] { x }),
            ResidualBlock block => Residual(name, block, x),
            _ => throw new NotSupportedException($"The ONNX export does not know layer '{name}' ({layer.GetType().Name})."),
        };

        private string Residual(string name, ResidualBlock block, string x)
        {
            var pad = (PadBase)Child(block, "pad", name);
            var h = Convolution($"{name}.conv1", (Convolution)Child(block, "conv1", name), ReflectionPad($"{name}.pad1", pad, x));
            h = graph.Node("Relu", $"{name}.relu", new[] { AdaptiveNorm($"{name}.norm1", (AdaptiveInstanceNorm)Child(block, "norm1", name), h) });
            h = Convolution($"{name}.conv2", (Convolution)Child(block, "conv2", name), ReflectionPad($"{name}.pad2", pad, h));
            h = AdaptiveNorm($"{name}.norm2", (AdaptiveInstanceNorm)Child(block, "norm2", name), h);
            return graph.Node("Add", $"{name}.add", new[] { h, x });
        }

        private string ReflectionPad(string name, PadBase pad, string x)
        {
            // TorchSharp lists (start, end) pairs from the last axis backwards; ONNX lists every axis's start, then every end.
            var torchPads = pad.padding;
            if (torchPads.Length != 2 * dimensions)
                throw new NotSupportedException($"'{name}' pads {torchPads.Length / 2} axes; the network is {dimensions}D.");
            var pads = new long[2 * (2 + dimensions)];
            for (int axis = 0; axis < dimensions; axis++)
            {
                int pair = (dimensions - 1 - axis) * 2;
                pads[2 + axis] = torchPads[pair];
                pads[2 + dimensions + 2 + axis] = torchPads[pair + 1];
            }
            var padsName = graph.Constant($"{name}.pads", pads, pads.Length);
            return graph.Node("Pad", name, new[] { x, padsName }, OnnxGraphWriter.String("mode", "reflect"));
        }

        private string Convolution(string name, Convolution conv, string x) => WriteConvolution(graph, name, conv, x);

        private string TransposedConvolution(string name, TransposedConvolution up, string x)
        {
            var (weight, bias, kernel) = WeightAndBias(graph, name, up);
            return graph.Node("ConvTranspose", name, new[] { x, weight, bias },
                OnnxGraphWriter.Ints("kernel_shape", kernel),
                OnnxGraphWriter.Ints("strides", up.Stride),
                OnnxGraphWriter.Ints("pads", up.Padding.Concat(up.Padding)),
                OnnxGraphWriter.Ints("output_padding", up.OutputPadding));
        }

        /// <summary>AdaIN with a constant style is an instance normalisation of scale 1 + w and bias b (the style holds b, then w).</summary>
        private string AdaptiveNorm(string name, AdaptiveInstanceNorm norm, string x)
        {
            int channels = checked((int)norm.Channels);
            if (_offset + norm.StyleLength > style.Length)
                throw new InvalidOperationException($"'{name}' needs style values beyond the {style.Length} of {prefix}.");
            var bias = style.AsSpan(_offset, channels);
            var scale = style.AsSpan(_offset + channels, channels).ToArray();
            for (int c = 0; c < channels; c++)
                scale[c] += 1f;
            _offset += norm.StyleLength;
            return graph.Node("InstanceNormalization", name,
                new[] { x, graph.Constant($"{name}.scale", scale, channels), graph.Constant($"{name}.bias", bias, channels) },
                OnnxGraphWriter.Float("epsilon", (float)AdaptiveInstanceNorm.Epsilon));
        }

    }

    private static string WriteConvolution(OnnxGraphWriter graph, string name, Convolution conv, string x)
    {
        var (weight, bias, kernel) = WeightAndBias(graph, name, conv);
        return graph.Node("Conv", name, new[] { x, weight, bias },
            OnnxGraphWriter.Ints("kernel_shape", kernel),
            OnnxGraphWriter.Ints("strides", conv.Stride),
            OnnxGraphWriter.Ints("pads", conv.Padding.Concat(conv.Padding)));
    }

    private static (string Weight, string Bias, long[] Kernel) WeightAndBias(OnnxGraphWriter graph, string name, nn.Module layer)
    {
        var parameters = layer.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter);
        if (!parameters.TryGetValue("weight", out var weight) || !parameters.TryGetValue("bias", out var bias))
            throw new InvalidOperationException($"'{name}' has no weight or bias.");
        var weightName = graph.Constant($"{name}.weight", Values(weight), weight.shape);
        var biasName = graph.Constant($"{name}.bias", Values(bias), bias.shape);
        return (weightName, biasName, weight.shape[2..]);
    }

    private static nn.Module Child(nn.Module parent, string child, string name) =>
        parent.named_children().FirstOrDefault(c => c.name == child).module
        ?? throw new InvalidOperationException($"'{name}' has no submodule '{child}'.");

    /// <summary>Writes the student U-Net's layers as its forward runs them (see <see cref="StudentNetwork"/>): the logits.</summary>
    private static class StudentWriter
    {
        public static string Write(OnnxGraphWriter graph, StudentNetwork network, string x)
        {
            int depth = network.Options.Depth;
            var encoder = Layers(network, "enc", 2 * (depth + 1));
            var lateral = Layers(network, "lateral", depth);
            var decoder = Layers(network, "dec", depth);
            var skips = new string[depth];
            for (int l = 0; l <= depth; l++)
            {
                if (l > 0)
                    x = graph.Node("MaxPool", $"enc.pool{l}", new[] { x }, OnnxGraphWriter.Ints("kernel_shape", new long[] { 2, 2 }), OnnxGraphWriter.Ints("strides", new long[] { 2, 2 }));
                x = ConvRelu(graph, $"enc.{2 * l}", encoder[2 * l], x);
                x = ConvRelu(graph, $"enc.{2 * l + 1}", encoder[2 * l + 1], x);
                if (l < depth)
                    skips[l] = x;
            }
            for (int l = depth - 1; l >= 0; l--)
            {
                x = WriteConvolution(graph, $"lateral.{l}", lateral[l], x);
                // PyTorch's nearest upsampling takes source pixel floor(i * in / out): asymmetric coordinates, floor.
                var size = graph.Node("Shape", $"up{l}.size", new[] { skips[l] });
                x = graph.Node("Resize", $"up{l}", new[] { x, "", "", size },
                    OnnxGraphWriter.String("mode", "nearest"),
                    OnnxGraphWriter.String("coordinate_transformation_mode", "asymmetric"),
                    OnnxGraphWriter.String("nearest_mode", "floor"));
                x = graph.Node("Relu", $"skip{l}.relu", new[] { graph.Node("Add", $"skip{l}.add", new[] { x, skips[l] }) });
                x = ConvRelu(graph, $"dec.{l}", decoder[l], x);
            }
            return WriteConvolution(graph, "head", (Convolution)Child(network, "head", "student"), x);
        }

        private static string ConvRelu(OnnxGraphWriter graph, string name, Convolution conv, string x) =>
            graph.Node("Relu", $"{name}.relu", new[] { WriteConvolution(graph, name, conv, x) });

        private static Convolution[] Layers(StudentNetwork network, string list, int count)
        {
            var layers = Child(network, list, "student").named_children().Select(c => c.module as Convolution
                ?? throw new NotSupportedException($"The ONNX export does not know student layer '{list}.{c.name}' ({c.module.GetType().Name}).")).ToArray();
            if (layers.Length != count)
                throw new InvalidOperationException($"The student's '{list}' has {layers.Length} layers; depth {network.Options.Depth} needs {count}.");
            return layers;
        }
    }
}
