using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Synthesis;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Trains a student network on AD-GAN's own translations: fresh synthetic masks are rendered into images by the trained
/// generator, G(E(mask, mask domain), image domain), and the student learns to map each rendered image to its mask's exact
/// coding (<see cref="StudentTarget"/>), a perfectly labelled pair. Deterministic on the CPU for a given seed and thread count:
/// the masks come from the seeded mask generator, every draw of step i derives from (seed, i), and the weights from the seed.
/// </summary>
internal static class StudentTrainer
{
    /// <summary>Mask-sequence stream of the student's patches, so they differ from the masks AD-GAN trained on.</summary>
    private const long MaskStream = 0x5744454E54;

    /// <summary>
    /// Trains a student with <paramref name="options"/> on translations by <paramref name="generator"/> (2D, left unchanged) of
    /// masks drawn with <paramref name="masks"/> (the AD-GAN run's priors, coding and patch shape; its seed when
    /// <see cref="StudentTrainingOptions.Seed"/> is null). With <see cref="StudentTrainingOptions.PseudoLabelFraction"/> above 0,
    /// also on <paramref name="realImages"/> (prepared: normalised, at the working scale) labelled by the generator with the
    /// model's <paramref name="settings"/>. Returns the student on the CPU, ready for inference.
    /// </summary>
    public static AdGanStudent Train(AdGanNetworks generator, SyntheticMaskOptions masks, StudentTrainingOptions options, ITrainingImageSource? realImages = null,
        AdGanInferenceSettings? settings = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        masks.Validate();
        if (generator.Options.Dimensions != 2 || masks.PatchShape.Is3D)
            throw new ArgumentException("The student is trained on 2D images only.", nameof(generator));
        if (masks.PatchShape.Height != masks.PatchShape.Width)
            throw new ArgumentException($"The student is trained on square patches; the masks are {masks.PatchShape}.", nameof(masks));
        if (options.PseudoLabelFraction > 0 && (realImages is null || realImages.Count == 0 || settings is null))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"PseudoLabelFraction is {options.PseudoLabelFraction}: the student needs the training images and the model's inference settings."), nameof(realImages));
        log ??= _ => { };
        int seed = options.Seed ?? masks.Seed;
        var clock = Stopwatch.StartNew();
        var (images, targets) = Render(generator, masks, seed, options, cancellationToken);
        log(string.Create(CultureInfo.InvariantCulture,
            $"Student: rendered {options.Patches} synthetic {masks.PatchShape} patches with the generator in {clock.Elapsed.TotalSeconds:F0} s."));

        var real = options.PseudoLabelFraction > 0
            ? StudentPseudoLabels.Make(generator, settings!, realImages!, options.Network.Target, cancellationToken)
            : new List<StudentPseudoLabels.Pair>();
        if (real.Count > 0)
            log(string.Create(CultureInfo.InvariantCulture, $"Student: {real.Count} training images labelled by AD-GAN for {options.PseudoLabelFraction:P0} of each batch."));

        var student = new StudentNetwork(options.Network, seed);
        try
        {
            Fit(student, images, targets, real, masks.PatchShape.Width, seed, options, log, cancellationToken);
        }
        catch
        {
            student.Dispose();
            throw;
        }
        log(string.Create(CultureInfo.InvariantCulture,
            $"Student: {options.Iterations} steps done in {clock.Elapsed.TotalMinutes:F1} min ({MultiplyAdds.PerInputPixel(student):F0} multiply-adds per pixel; generator {GeneratorCost.MultiplyAddsPerInputPixel(generator):F0})."));
        return new AdGanStudent(student, new AdGanStudentSettings { Network = options.Network, Decoding = options.Decoding });
    }

    /// <summary>What the student learns for one synthetic patch, in the coding of <paramref name="target"/>.</summary>
    internal static float[] Target(SyntheticMaskPatch patch, StudentTarget target)
    {
        var result = new float[patch.Labels.Data.Length];
        if (target == StudentTarget.ThreeLevel)
        {
            var coded = EllipseRaster.ThreeLevel(patch.Ellipses, patch.Labels.Shape).Data;
            for (int i = 0; i < result.Length; i++)
                result[i] = coded[i] == 0 ? -1f : coded[i] == 255 ? 1f : 0f;
        }
        else
        {
            var distance = EllipseRaster.NormalizedDistance(patch.Ellipses, patch.Labels.Shape).Data;
            for (int i = 0; i < result.Length; i++)
                result[i] = distance[i] > 0 ? distance[i] : -1f;
        }
        return result;
    }

    /// <summary>Renders the patch pool: images G(E(mask, mask), image) in [-1, 1] and the targets, patch after patch.</summary>
    private static (float[] Images, float[] Targets) Render(AdGanNetworks generator, SyntheticMaskOptions masks, int seed, StudentTrainingOptions options, CancellationToken cancellationToken)
    {
        var maskOptions = masks.Clone();
        maskOptions.Seed = SeedMixer.Mix(seed, MaskStream);
        var patches = new SyntheticMaskGenerator(maskOptions);
        int side = maskOptions.PatchShape.Width;
        int length = side * side;
        var images = new float[(long)options.Patches * length];
        var targets = new float[images.LongLength];
        var batch = new float[options.RenderBatchSize * length];
        using var noGrad = no_grad();
        using var encoderStyle = generator.Encoder.Style(AdGanDomain.Mask);
        using var decoderStyle = generator.Decoder.Style(AdGanDomain.Image);
        for (int start = 0; start < options.Patches; start += options.RenderBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(options.RenderBatchSize, options.Patches - start);
            for (int j = 0; j < count; j++)
            {
                var patch = patches.Generate(start + j);
                var mask = patch.Mask.Data;
                for (int k = 0; k < length; k++)
                    batch[j * length + k] = mask[k] / 127.5f - 1f;
                Target(patch, options.Network.Target).CopyTo(targets, (long)(start + j) * length);
            }
            using var scope = NewDisposeScope();
            var x = tensor(batch.AsSpan(0, count * length).ToArray(), new long[] { count, 1, side, side });
            generator.Decoder.call(generator.Encoder.call(x, encoderStyle), decoderStyle).tanh().data<float>().CopyTo(images.AsSpan((int)((long)start * length), count * length));
        }
        return (images, targets);
    }

    private static void Fit(StudentNetwork student, float[] images, float[] targets, List<StudentPseudoLabels.Pair> real, int side, int seed, StudentTrainingOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        int length = side * side;
        int batch = options.BatchSize;
        var shape = new long[] { batch, 1, side, side };
        var x = new float[batch * length];
        var y = new float[batch * length];
        int constant = (options.Iterations + 1) / 2, decay = options.Iterations / 2;
        student.train();
        using var optimizer = new AdamOptimizer(student.parameters(), options.LearningRate, 0.9, 0.999, weightDecay: 0);
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        for (int it = 0; it < options.Iterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var random = new ResumableRandom(ResumableRandom.Mix(seed, it, 3));
            for (int j = 0; j < batch; j++)
            {
                if (real.Count > 0 && random.NextDouble() < options.PseudoLabelFraction)
                    DrawRealSample(real[random.Next(real.Count)], side, options.BrightnessJitter, random, x, y, j * length);
                else
                    DrawSample(images, targets, options.Patches, side, options.BrightnessJitter, random, x, y, j * length);
            }
            double lr = LearningRateSchedule.At(it, options.LearningRate, constant, decay);
            optimizer.LearningRate = lr;
            float loss;
            using (var scope = NewDisposeScope())
            {
                var prediction = student.call(tensor(x, shape)).tanh();
                var l1 = F.l1_loss(prediction, tensor(y, shape));
                optimizer.ZeroGrad();
                l1.backward();
                optimizer.Step();
                loss = l1.item<float>();
            }
            if (!float.IsFinite(loss))
                throw new InvalidOperationException($"Student training diverged at step {it + 1}: the loss is {loss}.");
            lossSum += loss;
            lossCount++;
            if ((it + 1) % options.LogEvery == 0 || it + 1 == options.Iterations)
            {
                log(string.Create(CultureInfo.InvariantCulture,
                    $"Student step {it + 1}/{options.Iterations}: L1 {lossSum / lossCount:F4}, lr {lr:G3}, {(it + 1) / clock.Elapsed.TotalSeconds:F1} steps/s."));
                lossSum = 0;
                lossCount = 0;
            }
        }
        student.eval();
    }

    /// <summary>One training sample at <paramref name="offset"/>: a random patch, one of the 8 flips and quarter turns, its brightness jittered.</summary>
    private static void DrawSample(float[] images, float[] targets, int patches, int side, double jitter, Random random, float[] x, float[] y, int offset)
    {
        long source = (long)random.Next(patches) * side * side;
        var (transpose, flipY, flipX, gain) = DrawTransform(random, jitter);
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                int sr = flipY ? side - 1 - r : r, sc = flipX ? side - 1 - c : c;
                long s = source + (transpose ? (long)sc * side + sr : (long)sr * side + sc);
                x[offset + r * side + c] = Math.Min(1f, (images[s] + 1f) * gain - 1f);
                y[offset + r * side + c] = targets[s];
            }
        }
    }

    /// <summary>One sample from a pseudo-labelled image: a random crop (reflected where the image is smaller), flipped, turned and jittered as the patches.</summary>
    private static void DrawRealSample(StudentPseudoLabels.Pair pair, int side, double jitter, Random random, float[] x, float[] y, int offset)
    {
        var shape = pair.Image.Shape;
        int y0 = random.Next(Math.Max(0, shape.Height - side) + 1), x0 = random.Next(Math.Max(0, shape.Width - side) + 1);
        var (transpose, flipY, flipX, gain) = DrawTransform(random, jitter);
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                int sr = flipY ? side - 1 - r : r, sc = flipX ? side - 1 - c : c;
                if (transpose)
                    (sr, sc) = (sc, sr);
                int s = CropAugmenter.Reflect(y0 + sr, shape.Height) * shape.Width + CropAugmenter.Reflect(x0 + sc, shape.Width);
                x[offset + r * side + c] = Math.Min(1f, (pair.Image.Data[s] + 1f) * gain - 1f);
                y[offset + r * side + c] = pair.Target[s];
            }
        }
    }

    private static (bool Transpose, bool FlipY, bool FlipX, float Gain) DrawTransform(Random random, double jitter)
    {
        int transform = random.Next(8);
        float gain = (float)(1 + (2 * random.NextDouble() - 1) * jitter);
        return ((transform & 1) != 0, (transform & 2) != 0, (transform & 4) != 0, gain);
    }
}
