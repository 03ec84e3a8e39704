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
internal sealed class AdGanTrainer : IDisposable
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
    private int _constantIterations;
    private int _decayIterations;

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
    /// The schedule planned for <see cref="AdGanTrainerOptions.TimeBudget"/> (the latest, when it was re-planned); null
    /// without a budget or before the speed is measured.
    /// </summary>
    public TrainingPlan? Plan { get; private set; }

    /// <summary>Iterations the schedule runs to: the plan's total with a time budget (the options' until it is planned), else the options'.</summary>
    public int PlannedIterations => Plan?.TotalIterations ?? _options.TotalIterations;

    /// <summary>
    /// Trains through the schedule (the options' iterations, or those planned for the time budget), then returns a
    /// deployable model (a copy of the generator on the CPU, and the student when <see cref="AdGanTrainerOptions.Student"/> is set). On cancellation a checkpoint is written first (when a
    /// checkpoint folder is set) and <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public AdGanSegmentationModel Train(CancellationToken cancellationToken = default)
    {
        var o = _options;
        var maskOptions = o.MaskOptions();
        var patchShape = maskOptions.PatchShape;
        int patch = checked((int)patchShape.Length);
        long[] batchShape = new long[] { o.BatchSize, 1 }.Concat(patchShape.SpatialSizes()).ToArray();
        var crops = new float[patch * o.BatchSize];
        var clock = Stopwatch.StartNew();
        int startIteration = CompletedIterations;
        var budget = o.BudgetPlanner() is { } planner ? new BudgetTracking(planner, startIteration) : null;
        Plan = null;
        // Until the plan is made, the learning rate stays at its constant value and the schedule has no end.
        (_constantIterations, _decayIterations) = budget is null ? (o.Iterations, o.DecayIterations) : (int.MaxValue / 2, 0);
        var checkpoints = new CheckpointSchedule(o.CheckpointEvery, o.CheckpointMinutes, clock.Elapsed);
        string until = budget is null ? $"to {o.TotalIterations}" : $"within {o.TimeBudget!.Value.TotalMinutes:0.##} min (the schedule is planned after {budget.Planner.WarmupIterations + budget.Planner.MeasuredIterations} iterations)";
        _log($"Training AD-GAN from iteration {startIteration} {until} on {Device.type}: crop {patchShape}, ngf {o.BaseChannels}, batch {o.BatchSize}, {_images.Count} images.");
        using (var masks = new MaskBatchProducer(maskOptions, o.BatchSize, startIteration, budget is null ? o.TotalIterations : int.MaxValue, o.MaskPrefetch))
        {
            while (CompletedIterations < _constantIterations + _decayIterations)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    string? saved = SaveCheckpointIfConfigured();
                    _log(saved is null ? "Training cancelled." : $"Training cancelled; checkpoint written to {saved}.");
                    cancellationToken.ThrowIfCancellationRequested();
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
                    double lr = LearningRateSchedule.At(it, o.Step.LearningRate, _constantIterations, _decayIterations);
                    _step.SetLearningRate(lr);
                    losses = _step.Step(xA, xB);
                }
                if (!double.IsFinite(losses.GeneratorTotal) || !double.IsFinite(losses.Discriminator))
                    throw new InvalidOperationException($"Training diverged at iteration {it + 1}: losses are not finite ({losses}); the weights are no longer usable.");
                _average?.Update();
                CompletedIterations++;
                if (budget?.Update(CompletedIterations, clock.Elapsed) is { } plan)
                {
                    Plan = plan;
                    (_constantIterations, _decayIterations) = (plan.ConstantIterations, plan.DecayIterations);
                    _log(plan + $" A fixed run of the same schedule: Iterations {plan.ConstantIterations}, DecayIterations {plan.DecayIterations}.");
                }

                int total = _constantIterations + _decayIterations;
                if (CompletedIterations % o.MetricsEvery == 0 || CompletedIterations == total)
                    Report(losses, startIteration, clock.Elapsed);
                if (o.CheckpointDirectory is not null && checkpoints.IsDue(CompletedIterations, clock.Elapsed))
                {
                    SaveCheckpointIfConfigured();
                    checkpoints.Written(clock.Elapsed);
                }
                if (o.SnapshotDirectory is not null && (CompletedIterations % o.SnapshotEvery == 0 || CompletedIterations == total))
                    WriteSnapshot(crops, maskBatch, patchShape);
            }
        }
        if (budget is not null)
            _log($"AD-GAN's schedule ended after {clock.Elapsed.TotalMinutes:0.##} of {o.TimeBudget!.Value.TotalMinutes:0.##} min ({CompletedIterations} iterations).");
        if (o.Student is null || o.Dimensions != 2)
            return CreateModel();
        var networks = CopyGenerator();
        try
        {
            var student = StudentTrainer.Train(networks, maskOptions, o.Student, _images, o.InferenceSettings(), _log, cancellationToken);
            return new AdGanSegmentationModel(networks, o.InferenceSettings(), student: student);
        }
        catch
        {
            networks.Dispose();
            throw;
        }
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
    public AdGanSegmentationModel CreateModel() => new(CopyGenerator(), _options.InferenceSettings());

    /// <summary>A CPU copy of the generator (its moving average when kept) computing in float32.</summary>
    private AdGanNetworks CopyGenerator()
    {
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
        return networks;
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
        var remaining = TimeSpan.FromSeconds(Math.Max(0, PlannedIterations - CompletedIterations) / Math.Max(rate, 1e-9));
        double lr = LearningRateSchedule.At(CompletedIterations - 1, _options.Step.LearningRate, _constantIterations, _decayIterations);
        var metrics = new AdGanTrainingMetrics(CompletedIterations, PlannedIterations, losses, lr, rate, elapsed, remaining);
        _log(metrics.ToString());
        _options.MetricsCallback?.Invoke(metrics);
    }

    /// <summary>Feeds a budget's planner the iterations and times of one run of <see cref="Train"/>: warm-up, measurement, plan and one re-plan.</summary>
    private sealed class BudgetTracking(TrainingBudgetPlanner planner, int startIteration)
    {
        private readonly int _measureFrom = startIteration + planner.WarmupIterations;
        private TimeSpan _measureStart;
        private TrainingPlan? _plan;
        private int? _replanAt;

        public TrainingBudgetPlanner Planner => planner;

        /// <summary>The new plan when one is made after <paramref name="done"/> iterations, else null.</summary>
        public TrainingPlan? Update(int done, TimeSpan elapsed)
        {
            if (done <= _measureFrom)
            {
                _measureStart = elapsed;
                return null;
            }
            if (_plan is null)
            {
                int measured = done - _measureFrom;
                if (!planner.IsReady(measured, elapsed))
                    return null;
                _plan = planner.Plan(done, elapsed, (elapsed - _measureStart).TotalSeconds / measured);
                _replanAt = planner.ReplanAt(_plan);
                return _plan;
            }
            if (done != _replanAt)
                return null;
            _replanAt = null;
            var replan = planner.Replan(_plan, done, elapsed);
            _plan = replan ?? _plan;
            return replan;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _average?.Dispose();
        _step.Dispose();
        _networks.Dispose();
    }
}
