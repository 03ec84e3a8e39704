using System.Diagnostics;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Runs AD-GAN training: random augmented crops of the unlabeled images (domain A) against fresh synthetic masks
/// made in the background (domain B), the reference iteration with the linear schedule, metrics, checkpoints and resume.
/// Every random draw of iteration i derives from (seed, i), so a run resumed from a checkpoint after k iterations
/// continues exactly as an uninterrupted one (bit for bit on CPU with fixed threads).
/// </summary>
public sealed class AdGanTrainer : IDisposable
{
    private readonly AdGanTrainerOptions _options;
    private readonly ITrainingImageSource _images;
    private readonly Action<string> _log;
    private readonly ResumableRandom _poolRandom;
    private readonly List<double[]> _lossHistory = new();
    private readonly List<string> _snapshotFiles = new();
    private readonly AdGanNetworks _networks;
    private readonly AdGanTrainingStep _step;
    private readonly GeneratorAverage? _average;

    /// <summary>Builds networks and optimisers on <paramref name="device"/> (CPU when null) for training on <paramref name="images"/>.</summary>
    public AdGanTrainer(AdGanTrainerOptions options, ITrainingImageSource images, Device? device = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        options.Validate();
        if (images.Count == 0)
            throw new ArgumentException("Training needs at least one image.", nameof(images));
        _options = options;
        _images = images;
        _log = log ?? (_ => { });
        Device = device ?? CPU;
        if (options.Threads is int threads)
            torch.set_num_threads(threads);
        if (BFloat16Support.SlowWarning(options.Precision) is { } slow)
            _log(slow);
        _networks = new AdGanNetworks(options.NetworkOptions());
        _networks.to(Device);
        _poolRandom = new ResumableRandom(ResumableRandom.Mix(options.Seed, -1));
        _step = new AdGanTrainingStep(_networks, options.Step, _poolRandom);
        if (options.GeneratorAverageDecay > 0)
            _average = new GeneratorAverage(_networks, options.GeneratorAverageDecay);
        if (options.ResumeFrom is { } resume)
            Resume(resume);
    }

    /// <summary>The device training runs on.</summary>
    public Device Device { get; }

    /// <summary>Iterations done so far (including those restored from a checkpoint).</summary>
    public int CompletedIterations { get; private set; }

    /// <summary>Losses recorded every <see cref="AdGanTrainerOptions.MetricsEvery"/> iterations: iteration, rec, cyc, ctr, adv, dis.</summary>
    public IReadOnlyList<double[]> LossHistory => _lossHistory;

    /// <summary>Training pictures written so far to <see cref="AdGanTrainerOptions.SnapshotDirectory"/> (the loss plot once, each translation panel).</summary>
    public IReadOnlyList<string> SnapshotFiles => _snapshotFiles;

    /// <summary>The networks being trained.</summary>
    public AdGanNetworks Networks => _networks;

    /// <summary>
    /// Trains until all iterations are done or <see cref="AdGanTrainerOptions.MaxMinutes"/> pass, then returns a
    /// deployable model (a copy of the generator on the CPU). On cancellation a checkpoint is written first (when a
    /// checkpoint folder is set) and <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public AdGanSegmentationModel Train(CancellationToken cancellationToken = default)
    {
        var o = _options;
        int total = o.TotalIterations;
        var maskOptions = o.MaskOptions();
        var patchShape = maskOptions.PatchShape;
        int patch = checked((int)patchShape.Length);
        long[] batchShape = new long[] { o.BatchSize, 1 }.Concat(patchShape.SpatialSizes()).ToArray();
        var crops = new float[patch * o.BatchSize];
        var clock = Stopwatch.StartNew();
        int startIteration = CompletedIterations;
        int lastSnapshot = -1;
        float[]? lastMasks = null;
        var checkpoints = new CheckpointSchedule(o.CheckpointEvery, o.CheckpointMinutes, clock.Elapsed);
        _log($"Training AD-GAN from iteration {startIteration} to {total} on {Device.type}: crop {patchShape}, ngf {o.BaseChannels}, batch {o.BatchSize}, {_images.Count} images.");
        using (var masks = new MaskBatchProducer(maskOptions, o.BatchSize, startIteration, total, o.MaskPrefetch))
        {
            while (CompletedIterations < total)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    string? saved = SaveCheckpointIfConfigured();
                    _log(saved is null ? "Training cancelled." : $"Training cancelled; checkpoint written to {saved}.");
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (o.MaxMinutes is double minutes && clock.Elapsed.TotalMinutes >= minutes)
                {
                    if (o.SnapshotDirectory is not null && lastMasks is not null && lastSnapshot != CompletedIterations)
                        WriteSnapshot(crops, lastMasks, patchShape);
                    _log($"Stopping after {minutes} minutes at iteration {CompletedIterations} of {total}.");
                    break;
                }

                int it = CompletedIterations;
                var rng = new ResumableRandom(ResumableRandom.Mix(o.Seed, it, 1));
                for (int j = 0; j < o.BatchSize; j++)
                    CropAugmenter.Crop(_images.Get(rng.Next(_images.Count)), patchShape.Depth, patchShape.Width, o.Augmentation, rng, crops, j * patch);
                var maskBatch = masks.Next();

                AdGanStepLosses losses;
                using (NewDisposeScope())
                {
                    var xA = tensor(crops, batchShape).to(Device);
                    var xB = tensor(maskBatch, batchShape).to(Device);
                    double lr = LearningRateSchedule.At(it, o.Step.LearningRate, o.Iterations, o.DecayIterations);
                    _step.SetLearningRate(lr);
                    losses = _step.Step(xA, xB);
                }
                if (!double.IsFinite(losses.GeneratorTotal) || !double.IsFinite(losses.Discriminator))
                    throw new InvalidOperationException($"Training diverged at iteration {it + 1}: losses are not finite ({losses}); the weights are no longer usable.");
                _average?.Update();
                CompletedIterations++;

                if (CompletedIterations % o.MetricsEvery == 0 || CompletedIterations == total)
                    Report(losses, startIteration, clock.Elapsed);
                if (o.CheckpointDirectory is not null && checkpoints.IsDue(CompletedIterations, clock.Elapsed))
                {
                    SaveCheckpointIfConfigured();
                    checkpoints.Written(clock.Elapsed);
                }
                lastMasks = maskBatch;
                if (o.SnapshotDirectory is not null && (CompletedIterations % o.SnapshotEvery == 0 || CompletedIterations == total))
                {
                    WriteSnapshot(crops, maskBatch, patchShape);
                    lastSnapshot = CompletedIterations;
                }
            }
        }
        return CreateModel();
    }

    /// <summary>Writes a resumable checkpoint (atomically) to <paramref name="path"/>.</summary>
    public void SaveCheckpoint(string path)
    {
        var o = _options;
        AdGanCheckpoint.Save(path, _step, new AdGanCheckpoint.Header(CompletedIterations, o.BaseChannels, o.Dimensions, o.StyleMlpWidth,
            o.CropSize, o.CropDepth, o.BatchSize, o.Seed, _poolRandom.State, _lossHistory.Select(a => (double[])a.Clone()).ToList()), _average);
    }

    /// <summary>
    /// A deployable model from the current generator weights, or their moving average when
    /// <see cref="AdGanTrainerOptions.GeneratorAverageDecay"/> is set (a copy on the CPU computing in float32; training may continue).
    /// </summary>
    public AdGanSegmentationModel CreateModel()
    {
        var settings = _options.InferenceSettings();
        // Inference starts on the faithful float32 path whatever the training precision (as a model loaded from a file);
        // callers may switch it with Networks.ComputePrecision.
        var networkOptions = _options.NetworkOptions();
        networkOptions.ComputePrecision = ComputePrecision.Float32;
        var networks = new AdGanNetworks(networkOptions);
        using (no_grad())
        {
            CopyParameters(_networks.Encoder, networks.Encoder);
            CopyParameters(_networks.Decoder, networks.Decoder);
            _average?.CopyTo(networks.Encoder, networks.Decoder);
        }
        return new AdGanSegmentationModel(networks, settings);
    }

    /// <summary>Reads the number of completed iterations recorded in a checkpoint file.</summary>
    public static int CheckpointIteration(string path) => AdGanCheckpoint.ReadHeader(path).Iteration;

    private static void CopyParameters(nn.Module source, nn.Module destination)
    {
        var target = destination.state_dict();
        foreach (var (name, value) in source.state_dict())
            target[name].copy_(value.cpu());
    }

    /// <summary>
    /// The options that differ from the checkpoint at <paramref name="path"/> in a way that changes the shape of its tensors
    /// (networks, optimiser state, history pools): each with the option's name, the checkpoint's value and the requested one.
    /// Empty when <paramref name="options"/> can resume it. Throws <see cref="AdGanModelFormatException"/> for a file that is not a readable checkpoint.
    /// </summary>
    public static IReadOnlyList<(string Option, int Checkpoint, int Requested)> ResumeConflicts(string path, AdGanTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var header = AdGanCheckpoint.ReadHeader(path);
        var conflicts = new List<(string, int, int)>();
        void Compare(string name, int saved, int requested)
        {
            if (saved != requested)
                conflicts.Add((name, saved, requested));
        }

        Compare(nameof(AdGanTrainerOptions.Dimensions), header.Dimensions, options.Dimensions);
        Compare(nameof(AdGanTrainerOptions.BaseChannels), header.BaseChannels, options.BaseChannels);
        Compare(nameof(AdGanTrainerOptions.StyleMlpWidth), header.StyleMlpWidth, options.StyleMlpWidth);
        Compare(nameof(AdGanTrainerOptions.CropSize), header.CropSize, options.CropSize);
        if (header.Dimensions == 3 && options.Dimensions == 3)
            Compare(nameof(AdGanTrainerOptions.CropDepth), header.CropDepth, options.CropDepth);
        return conflicts;
    }

    private void Resume(string path)
    {
        var o = _options;
        var conflicts = ResumeConflicts(path, o);
        if (conflicts.Count > 0)
            throw new ArgumentException($"Checkpoint '{path}' cannot be resumed with these options; they change the shape of its tensors: "
                + string.Join(", ", conflicts.Select(c => $"{c.Option} {c.Requested} (checkpoint: {c.Checkpoint})")) + ".", nameof(AdGanTrainerOptions.ResumeFrom));
        var header = AdGanCheckpoint.ReadHeader(path);
        if (header.BatchSize != o.BatchSize || header.Seed != o.Seed)
            _log($"Note: resuming '{path}' with batch {o.BatchSize}, seed {o.Seed} (checkpoint: {header.BatchSize}, {header.Seed}); the run will not replay an uninterrupted one exactly.");
        AdGanCheckpoint.Load(path, _step, _average);
        if (_average is not null && !header.HasGeneratorAverage)
        {
            _average.Reset();
            _log($"Note: checkpoint '{path}' has no generator average; the average restarts from its weights.");
        }
        _poolRandom.State = header.PoolRandomState;
        CompletedIterations = header.Iteration;
        _lossHistory.Clear();
        _lossHistory.AddRange(header.LossHistory);
        _log($"Resumed from '{path}' at iteration {CompletedIterations}.");
    }

    private string? SaveCheckpointIfConfigured()
    {
        if (_options.CheckpointDirectory is null)
            return null;
        string path = Path.Combine(_options.CheckpointDirectory, "checkpoint.adgan");
        SaveCheckpoint(path);
        return path;
    }

    /// <summary>Loss plot and the translations of the first crop and mask of the batch (no gradients; cheap next to a step).</summary>
    private void WriteSnapshot(float[] crops, float[] masks, ImageShape patchShape)
    {
        string folder = _options.SnapshotDirectory!;
        int patch = checked((int)patchShape.Length);
        var image = new ImageBuffer<float>(crops.AsSpan(0, patch).ToArray(), patchShape);
        var mask = new ImageBuffer<float>(masks.AsSpan(0, patch).ToArray(), patchShape);
        var samples = TranslationSamples.Compute(_networks, image, mask);
        string panel = Path.Combine(folder, $"translations_{CompletedIterations:D6}.png");
        samples.Save(panel, scale: patchShape.Width <= 128 ? 2 : 1, title: $"iteration {CompletedIterations}");
        string losses = Path.Combine(folder, "losses.png");
        LossCurvePlot.Save(losses, _lossHistory, new LossCurvePlotOptions { Title = $"AD-GAN training losses (iteration {CompletedIterations})" });
        if (!_snapshotFiles.Contains(losses))
            _snapshotFiles.Add(losses);
        _snapshotFiles.Add(panel);
    }

    private void Report(AdGanStepLosses losses, int startIteration, TimeSpan elapsed)
    {
        _lossHistory.Add(new[] { CompletedIterations, losses.Reconstruction, losses.Cycle, losses.Content, losses.Adversarial, losses.Discriminator });
        int done = CompletedIterations - startIteration;
        double rate = done / Math.Max(1e-9, elapsed.TotalSeconds);
        var remaining = TimeSpan.FromSeconds((_options.TotalIterations - CompletedIterations) / Math.Max(rate, 1e-9));
        double lr = LearningRateSchedule.At(CompletedIterations - 1, _options.Step.LearningRate, _options.Iterations, _options.DecayIterations);
        var metrics = new AdGanTrainingMetrics(CompletedIterations, _options.TotalIterations, losses, lr, rate, elapsed, remaining);
        _log(metrics.ToString());
        _options.MetricsCallback?.Invoke(metrics);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _average?.Dispose();
        _step.Dispose();
        _networks.Dispose();
    }
}
