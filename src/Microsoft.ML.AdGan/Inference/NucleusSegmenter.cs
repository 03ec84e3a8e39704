using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>
/// The one segmentation pipeline: segments an image or volume with a trained model. In order: refuses non-finite pixels,
/// brings anisotropic volumes to cubic voxels, normalises intensities, picks the working scale (the model's, or with
/// <see cref="AdGanInferenceSettings.PerImageScale"/> the image's own), resizes, pads images below the network's minimum
/// side (reflect), decodes in tiles (with flips under <see cref="AdGanInferenceSettings.TestTimeAugmentation"/>), crops and
/// resizes the decoded map back to the image's grid, and labels it the way the model calls for
/// (<see cref="AdGanSegmentationModel.LabelOptions"/>, or the options given here) at the scale the image was decoded at.
/// The ML.NET transformer, <c>adgan segment</c>, the service, the demo and the quality benchmark all call it, so one model and
/// one image give the same labels everywhere. Stateless between calls and thread-safe: it sets no process-wide state.
/// </summary>
public sealed class NucleusSegmenter
{
    private readonly AdGanInferenceSettings _settings;
    private readonly ITileNetwork _network;
    private readonly InstanceLabeler _labeler;

    /// <summary>
    /// Segments with <paramref name="model"/>, labelling with <paramref name="labeling"/> (copied; null: the model's
    /// <see cref="AdGanSegmentationModel.LabelOptions"/>).
    /// </summary>
    public NucleusSegmenter(AdGanSegmentationModel model, InstanceLabelOptions? labeling = null)
        : this((model ?? throw new ArgumentNullException(nameof(model))).Settings, model.Head.Network, labeling?.Clone() ?? model.Head.LabelOptions(model.Settings))
    {
        Model = model;
    }

    /// <summary>The pipeline over any tile network (the ONNX Runtime one is made in Deployment).</summary>
    internal NucleusSegmenter(AdGanInferenceSettings settings, ITileNetwork network, InstanceLabelOptions labeling)
    {
        _settings = settings;
        _network = network;
        _labeler = new InstanceLabeler(labeling);
    }

    /// <summary>The model it segments with; null when it runs an exported network on ONNX Runtime.</summary>
    public AdGanSegmentationModel? Model { get; }

    /// <summary>The inference settings in use (the model's, or those an ONNX export records).</summary>
    public AdGanInferenceSettings Settings => _settings;

    /// <summary>A copy of the labelling options in use.</summary>
    public InstanceLabelOptions LabelOptions => _labeler.Options.Clone();

    /// <summary>
    /// Segments a raw image (2D) or volume (3D, for a 3D model): labels, decoded map, working scale and nucleus count, at the
    /// image's size. Throws <see cref="SegmentationException"/> naming <paramref name="imageName"/> when the image cannot be
    /// segmented, and <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled: it is
    /// checked between tiles and between labelling phases, so work stops within one tile's or one phase's time.
    /// </summary>
    public NucleusSegmentation Segment(ImageBuffer<float> rawImage, string? imageName = null, CancellationToken cancellationToken = default) =>
        Label(Decode(rawImage, imageName, cancellationToken), cancellationToken);

    /// <summary>Labels a decoded map from <see cref="Decode"/> (of this model's network) as <see cref="Segment"/> does.</summary>
    internal NucleusSegmentation Label(AdGanDecodedMap decoded, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = _labeler.Options;
        double scale = options.WorkingScale * decoded.ScaleFactor;
        var labels = _labeler.Label(decoded.Map, options.ImageBoundaryBand > 0 ? decoded.Image! : null, scale, cancellationToken);
        return new NucleusSegmentation(labels, decoded.Map, decoded.WorkingScale, CountNuclei(labels));
    }

    /// <summary>
    /// The decoded map of a raw image or volume at its size, with the scale it went through the network at and the raw image
    /// (for boundary refinement). A volume with an anisotropic recorded voxel size is decoded on cubic voxels, as training saw
    /// it, and its map returned on the volume's own grid. <paramref name="cancellationToken"/> is checked between tiles.
    /// </summary>
    public AdGanDecodedMap Decode(ImageBuffer<float> rawImage, string? imageName = null, CancellationToken cancellationToken = default)
    {
        string name = imageName ?? "the image";
        CheckImage(rawImage, name);
        var grid = IsotropicVolumes.ToIsotropic(rawImage);
        var decoded = DecodeChecked(IntensityNormalizer.Normalize(grid, _settings.Normalization), name, cancellationToken);
        var map = ReferenceEquals(grid, rawImage) ? decoded.Map : IsotropicVolumes.ToOriginalGrid(decoded.Map, rawImage);
        return decoded with { Map = map, Image = rawImage };
    }

    /// <summary>The decoded map of an image already normalised to [-1, 1], with the scale it went through the network at.</summary>
    public AdGanDecodedMap DecodeNormalized(ImageBuffer<float> normalized, string? imageName = null, CancellationToken cancellationToken = default)
    {
        string name = imageName ?? "the image";
        CheckImage(normalized, name);
        return DecodeChecked(normalized, name, cancellationToken);
    }

    /// <summary>
    /// The factor an image is resized by before the network: <see cref="AdGanInferenceSettings.ImageScale"/>, or with
    /// <see cref="AdGanInferenceSettings.PerImageScale"/> the one that brings its measured median nucleus semi-axis to
    /// <see cref="AdGanInferenceSettings.TrainedSemiAxis"/> (within <see cref="AdGanInferenceSettings.MaxPerImageScaleChange"/>).
    /// </summary>
    public double WorkingScale(ImageBuffer<float> normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return _settings.Scaling.For(normalized);
    }

    private AdGanDecodedMap DecodeChecked(ImageBuffer<float> normalized, string name, CancellationToken cancellationToken)
    {
        var settings = _settings;
        double scale = WorkingScale(normalized);
        var working = scale == 1.0 ? normalized : ImageResampler.Rescale(normalized, scale);
        var network = _network;
        bool pad = MinimumSizePadding.IsNeeded(working.Shape, network.MinimumSide);
        var input = pad ? MinimumSizePadding.Pad(working, network.MinimumSide) : working;
        var decoded = settings.TestTimeAugmentation
            ? DecodeWithFlips(input, network, cancellationToken)
            : TiledInference.Run(input, network, settings.Tiling, cancellationToken);
        if (pad)
            decoded = MinimumSizePadding.Crop(decoded, working.Shape);
        if (scale != 1.0)
            decoded = ImageResampler.Resize(decoded, normalized.Shape, antiAlias: false);
        CheckDecoded(decoded, name);
        return new AdGanDecodedMap(decoded, scale, settings.ImageScale) { Image = normalized };
    }

    private ImageBuffer<float> DecodeWithFlips(ImageBuffer<float> working, ITileNetwork network, CancellationToken cancellationToken)
    {
        var sum = new float[working.Data.Length];
        var flips = FlipAugmentation.Flips(working.Shape);
        foreach (var flip in flips)
        {
            var decoded = TiledInference.Run(FlipAugmentation.Apply(working, flip), network, _settings.Tiling, cancellationToken);
            var back = FlipAugmentation.Apply(decoded, flip);
            for (int i = 0; i < sum.Length; i++)
                sum[i] += back.Data[i];
        }
        float inverse = 1f / flips.Count;
        for (int i = 0; i < sum.Length; i++)
            sum[i] *= inverse;
        return new ImageBuffer<float>(sum, working.Shape, working.VoxelSize);
    }

    /// <summary>Refuses what cannot be segmented: the wrong dimensionality and non-finite pixels, naming the image.</summary>
    private void CheckImage(ImageBuffer<float> image, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        int dimensions = _settings.Dimensions;
        if (image.Shape.Dimensions != dimensions)
            throw new SegmentationException(name, $"The model segments {(dimensions == 3 ? "volumes (3D)" : "images (2D)")} but {name} is {image.Shape}.");
        long nan = 0, infinite = 0;
        foreach (float v in image.Data)
        {
            if (float.IsNaN(v))
                nan++;
            else if (float.IsInfinity(v))
                infinite++;
        }
        if (nan + infinite > 0)
            throw new SegmentationException(name, string.Create(CultureInfo.InvariantCulture,
                $"{Capitalised(name)} has {nan + infinite} of {image.Data.Length} pixels that are not finite ({nan} NaN, {infinite} infinite); segmentation needs finite intensities (replace or mask them first)."));
    }

    private static void CheckDecoded(ImageBuffer<float> decoded, string name)
    {
        for (int i = 0; i < decoded.Data.Length; i++)
            if (!float.IsFinite(decoded.Data[i]))
                throw new SegmentationException(name, string.Create(CultureInfo.InvariantCulture,
                    $"The decoded map of {name} is not finite at flat index {i}: the model's weights may have diverged in training."));
    }

    private static string Capitalised(string name) => name.Length > 0 && char.IsLower(name[0]) ? char.ToUpperInvariant(name[0]) + name[1..] : name;

    private static int CountNuclei(ImageBuffer<uint> labels)
    {
        var seen = new HashSet<uint>();
        foreach (uint v in labels.Data)
            if (v != 0)
                seen.Add(v);
        return seen.Count;
    }
}
