using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Pseudo-labelled real images for the student: each training image (normalised, at the working scale) with the student coding
/// of AD-GAN's own instances of it (decoded by the generator, labelled as the model's own labelling does at
/// the working scale, boundaries refitted by the image itself).
/// </summary>
internal static class StudentPseudoLabels
{
    /// <summary>One pseudo-labelled image: the prepared image and its target, both at the working scale.</summary>
    public sealed record Pair(ImageBuffer<float> Image, float[] Target);

    public static List<Pair> Make(AdGanNetworks generator, AdGanInferenceSettings settings, ITrainingImageSource images, StudentTarget target, CancellationToken cancellationToken)
    {
        var labelOptions = AdGanLabeling.For(settings);
        labelOptions.WorkingScale = 1;
        var labeler = new InstanceLabeler(labelOptions);
        var pairs = new List<Pair>(images.Count);
        using var head = new GeneratorHead(generator);
        for (int i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = images.Get(i);
            var map = TiledInference.Run(image, head.Network, settings.Tiling);
            var labels = labelOptions.ImageBoundaryBand > 0 ? labeler.Label(map, image, 1.0) : labeler.Label(map, 1.0);
            pairs.Add(new Pair(image, Code(labels, target)));
        }
        return pairs;
    }

    /// <summary>
    /// The student coding of an instance label map: background -1; inside each object its normalised distance to the object's
    /// own edge (the image border is not an edge), or for <see cref="StudentTarget.ThreeLevel"/> ring 0 below 0.5 and core 1.
    /// </summary>
    public static float[] Code(ImageBuffer<uint> labels, StudentTarget target)
    {
        var shape = labels.Shape;
        if (shape.Is3D)
            throw new ArgumentException("Pseudo-labels are made for 2D images only.", nameof(labels));
        var data = labels.Data;
        var result = new float[data.Length];
        Array.Fill(result, -1f);
        foreach (var (label, box) in BoundingBoxes.Compute(data, shape))
        {
            // One pixel of margin where the image goes on, so the object's edge has outside pixels there.
            int y0 = Math.Max(0, box.Y0 - 1), y1 = Math.Min(shape.Height, box.Y1 + 1);
            int x0 = Math.Max(0, box.X0 - 1), x1 = Math.Min(shape.Width, box.X1 + 1);
            int h = y1 - y0, w = x1 - x0;
            var inside = new bool[h * w];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    inside[y * w + x] = data[(y0 + y) * shape.Width + x0 + x] == label;
            var squared = DistanceTransform.SquaredEuclidean(inside, ImageShape.Of2D(h, w), null);
            double max = 0;
            foreach (double s in squared)
                if (double.IsFinite(s))
                    max = Math.Max(max, s);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    if (!inside[y * w + x])
                        continue;
                    double s = squared[y * w + x];
                    float normalized = max > 0 && double.IsFinite(s) ? (float)Math.Sqrt(s / max) : 1f;
                    result[(y0 + y) * shape.Width + x0 + x] = target == StudentTarget.Distance ? normalized : normalized < 0.5f ? 0f : 1f;
                }
            }
        }
        return result;
    }
}
