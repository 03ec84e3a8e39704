using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Reporting;

/// <summary>
/// The translations of one image crop x_a and one synthetic mask x_b that the authors' code shows during training:
/// reconstructions, translations to the other domain and cycles, all in [-1, 1].
/// </summary>
/// <param name="Image">x_a, the normalised image crop.</param>
/// <param name="ImageReconstruction">x_a_rec = G(E(x_a, image), image).</param>
/// <param name="Segmentation">x_ab = G(E(x_a, image), mask).</param>
/// <param name="ImageCycle">x_aba = G(E(x_ab, mask), image).</param>
/// <param name="Mask">x_b, the synthetic mask.</param>
/// <param name="MaskReconstruction">x_b_rec = G(E(x_b, mask), mask).</param>
/// <param name="FakeImage">x_ba = G(E(x_b, mask), image).</param>
/// <param name="MaskCycle">x_bab = G(E(x_ba, image), mask).</param>
internal sealed record TranslationSamples(
    ImageBuffer<float> Image, ImageBuffer<float> ImageReconstruction, ImageBuffer<float> Segmentation, ImageBuffer<float> ImageCycle,
    ImageBuffer<float> Mask, ImageBuffer<float> MaskReconstruction, ImageBuffer<float> FakeImage, ImageBuffer<float> MaskCycle)
{
    /// <summary>Runs the networks (without gradients) on one image crop and one mask of the same shape, both in [-1, 1].</summary>
    public static TranslationSamples Compute(AdGanNetworks networks, ImageBuffer<float> image, ImageBuffer<float> mask)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        if (image.Shape != mask.Shape)
            throw new ArgumentException($"The image crop ({image.Shape}) and the mask ({mask.Shape}) must have the same shape.", nameof(mask));
        var device = networks.Encoder.Mlp.parameters().First().device;
        long[] shape = new long[] { 1, 1 }.Concat(image.Shape.SpatialSizes()).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var enc = networks.Encoder;
        var dec = networks.Decoder;
        var xA = tensor(image.Data, shape).to(device);
        var xB = tensor(mask.Data, shape).to(device);
        var cA = enc.Encode(xA, AdGanDomain.Image);
        var cB = enc.Encode(xB, AdGanDomain.Mask);
        var xAB = dec.Decode(cA, AdGanDomain.Mask);
        var xBA = dec.Decode(cB, AdGanDomain.Image);
        ImageBuffer<float> Buffer(Tensor t) => new(t.cpu().data<float>().ToArray(), image.Shape);
        return new TranslationSamples(
            image, Buffer(dec.Decode(cA, AdGanDomain.Image)), Buffer(xAB), Buffer(dec.Decode(enc.Encode(xAB, AdGanDomain.Mask), AdGanDomain.Image)),
            mask, Buffer(dec.Decode(cB, AdGanDomain.Mask)), Buffer(xBA), Buffer(dec.Decode(enc.Encode(xBA, AdGanDomain.Image), AdGanDomain.Mask)));
    }

    /// <summary>Two panel rows: image, reconstruction, segmentation, cycle; mask, reconstruction, fake image, cycle.</summary>
    public IReadOnlyList<IReadOnlyList<PanelTile>> ToPanelRows() => new[]
    {
        new[] { new PanelTile("image", Image), new PanelTile("reconstruction", ImageReconstruction), new PanelTile("segmentation", Segmentation), new PanelTile("cycle", ImageCycle) },
        new[] { new PanelTile("mask", Mask), new PanelTile("reconstruction", MaskReconstruction), new PanelTile("fake image", FakeImage), new PanelTile("cycle", MaskCycle) },
    };

    /// <summary>Writes the two-row panel PNG to <paramref name="path"/>.</summary>
    public void Save(string path, int scale = 2, string? title = null) => TranslationPanel.Save(path, ToPanelRows(), scale, title);
}
