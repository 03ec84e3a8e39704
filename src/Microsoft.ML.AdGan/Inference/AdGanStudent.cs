using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// A student network trained on AD-GAN's own translations, carried by an <see cref="AdGanSegmentationModel"/>: it maps the
/// same normalised image at the same working scale as the generator to a decoded map of its own coding
/// (<see cref="StudentTarget"/>), at a fraction of the generator's cost. Immutable; concurrent calls need no locks.
/// </summary>
public sealed class AdGanStudent : IDisposable
{
    /// <summary>Images at the working scale up to this many pixels go through the network whole; larger ones in tiles.</summary>
    public const long WholeImagePixels = 2048L * 2048;

    /// <summary>Wraps a trained student network (the student takes ownership and puts it in evaluation mode).</summary>
    public AdGanStudent(StudentNetwork network, AdGanStudentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (network.Options != settings.Network)
            throw new ArgumentException($"The network is {network.Options} but the settings say {settings.Network}.", nameof(settings));
        Network = network;
        Settings = settings;
        Network.eval();
    }

    /// <summary>The student network.</summary>
    public StudentNetwork Network { get; }

    /// <summary>Its shape, coding and labelling.</summary>
    public AdGanStudentSettings Settings { get; }

    /// <summary>Decoded maps (B, 1, H, W) in [-1, 1] of normalised images (B, 1, H, W) at the working scale (no gradients recorded).</summary>
    public Tensor Segment(Tensor x)
    {
        using var noGrad = no_grad();
        return Network.Segment(x);
    }

    /// <summary>
    /// The student's decoded map of a raw image at the image's size, with the scale it went through the network at and the
    /// image itself, normalised and scaled as <paramref name="model"/> does for its generator (its <see cref="AdGanInferenceSettings.Normalization"/>,
    /// <see cref="AdGanSegmentationModel.WorkingScale"/>); label it with <see cref="LabelOptions"/>.
    /// </summary>
    public AdGanDecodedMap DecodeWithScale(AdGanSegmentationModel model, ImageBuffer<float> rawImage)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rawImage);
        if (rawImage.Shape.Is3D)
            throw new ArgumentException($"The student segments 2D images; the image is {rawImage.Shape}.", nameof(rawImage));
        var normalized = IntensityNormalizer.Normalize(rawImage, model.Settings.Normalization);
        double scale = model.WorkingScale(normalized);
        var working = scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
        var map = DecodeWorking(working, model.Settings.Tiling);
        if (scale != 1.0)
            map = ImageResampler.Resize(map, normalized.Shape, antiAlias: false);
        return new AdGanDecodedMap(map, scale, model.Settings.ImageScale) { Image = rawImage };
    }

    /// <summary>The decoded map of a normalised image already at the working scale: whole up to <see cref="WholeImagePixels"/>, else in tiles of <paramref name="tiling"/> (each tile on its own; the student has no normalisation statistics).</summary>
    public ImageBuffer<float> DecodeWorking(ImageBuffer<float> working, TilingOptions tiling)
    {
        ArgumentNullException.ThrowIfNull(working);
        ArgumentNullException.ThrowIfNull(tiling);
        if (working.Shape.Length > WholeImagePixels)
            return TiledInference.Run(working, Segment, tiling with { Statistics = TileStatistics.Tile });
        using var scope = NewDisposeScope();
        var x = tensor(working.Data, new long[] { 1, 1, working.Shape.Height, working.Shape.Width });
        var y = Segment(x).contiguous();
        return new ImageBuffer<float>(y.data<float>().ToArray(), working.Shape, working.VoxelSize);
    }

    /// <summary>The labelling of this student's maps for a model with <paramref name="settings"/> (<see cref="InstanceLabelOptions.ForStudent"/>).</summary>
    public InstanceLabelOptions LabelOptions(AdGanInferenceSettings settings) => InstanceLabelOptions.ForStudent(settings, Settings.Decoding);

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
