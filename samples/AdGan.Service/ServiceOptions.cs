using Microsoft.ML.AdGan.Imaging;

namespace AdGan.Service;

/// <summary>Settings of the segmentation service (configuration section "Segmentation", or the command-line switches of <see cref="ServiceApp"/>).</summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Segmentation";

    /// <summary>
    /// Smallest image side, in pixels, the service segments; smaller images get 400. (The pipeline pads images below the
    /// network's smallest tile by reflection, but a side of fewer than 4 pixels holds no nucleus to find.)
    /// </summary>
    public const int MinimumImageSide = 4;

    /// <summary>Path of the model: an AD-GAN model zip (<see cref="ServiceRuntime.Torch"/>) or an exported ONNX graph (<see cref="ServiceRuntime.Onnx"/>), loaded once at startup.</summary>
    public string ModelPath { get; set; } = "model.zip";

    /// <summary>Which runtime runs the network: TorchSharp on a model zip (default) or ONNX Runtime on an exported graph (no libtorch).</summary>
    public ServiceRuntime Runtime { get; set; } = ServiceRuntime.Torch;

    /// <summary>Addresses to listen on (e.g. http://127.0.0.1:0 for a free loopback port); empty: ASP.NET's defaults (ASPNETCORE_URLS, --urls).</summary>
    public IList<string> Urls { get; set; } = new List<string>();

    /// <summary>Largest accepted request body in bytes; larger bodies get 413. Default 64 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The pixel budget: the most pixels an image may have at the model's working scale (its size times the model's image
    /// scale, squared), checked from the image's header before anything is decoded; larger images get 413. Default
    /// <see cref="MicroscopyReadOptions.ServerMaxPixels"/> (2^26, an 8192 x 8192 image).
    /// </summary>
    public long MaxPixels { get; set; } = MicroscopyReadOptions.ServerMaxPixels;

    /// <summary>Most images decoded and segmented at once (bounds CPU and activation memory). Default: the processor count.</summary>
    public int MaxConcurrentSegmentations { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Most requests that may wait for a segmentation slot; beyond the slots and this queue, requests get 503 with
    /// Retry-After at once. Default: twice <see cref="MaxConcurrentSegmentations"/> (set 0 for no queue).
    /// </summary>
    public int? MaxQueuedRequests { get; set; }

    /// <summary>
    /// Time limit of one request in seconds, from its arrival (upload, wait and segmentation); past it the work stops and the
    /// request gets 503. Default 120.
    /// </summary>
    public double RequestTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// On SIGTERM (or Ctrl+C), how long running segmentations may go on before they are stopped; waiting requests get 503 at
    /// once, new ones are refused. Default 10 s.
    /// </summary>
    public double DrainSeconds { get; set; } = 10;

    /// <summary>The Retry-After (seconds) sent with 503 when the service is busy or draining. Default 5.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Torch intra-op threads (process-wide), or null to keep Torch's default.</summary>
    public int? TorchThreads { get; set; }

    /// <summary>The model's network to segment with (Generator, or Student when the model carries one); null: the one the model names.</summary>
    public Microsoft.ML.AdGan.Inference.SegmentationNetwork? Network { get; set; }

    /// <summary>ONNX Runtime intra-op threads per segmentation, or null for ONNX Runtime's choice (one per physical core).</summary>
    public int? OnnxThreads { get; set; }

    /// <summary>The queue length in force: <see cref="MaxQueuedRequests"/>, or twice the slots.</summary>
    public int QueueLength => MaxQueuedRequests ?? 2 * MaxConcurrentSegmentations;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("ModelPath (--model) must name the model: a model zip, or with --runtime onnx an exported .onnx graph.", nameof(ModelPath));
        if (!Enum.IsDefined(Runtime))
            throw new ArgumentOutOfRangeException(nameof(Runtime), Runtime, "Runtime (--runtime) must be torch or onnx.");
        if (MaxRequestBodyBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "MaxRequestBodyBytes (--max-body) must be at least 1.");
        if (MaxPixels < (long)MinimumImageSide * MinimumImageSide)
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, $"MaxPixels (--max-pixels) must be at least {MinimumImageSide * MinimumImageSide}.");
        if (MaxConcurrentSegmentations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentSegmentations), MaxConcurrentSegmentations, "MaxConcurrentSegmentations (--max-concurrency) must be at least 1.");
        if (MaxQueuedRequests is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedRequests), MaxQueuedRequests, "MaxQueuedRequests (--max-queue) must be 0 or more.");
        if (!(RequestTimeoutSeconds > 0 && RequestTimeoutSeconds <= 86400))
            throw new ArgumentOutOfRangeException(nameof(RequestTimeoutSeconds), RequestTimeoutSeconds, "RequestTimeoutSeconds (--timeout) must lie in (0, 86400].");
        if (!(DrainSeconds >= 0 && DrainSeconds <= 3600))
            throw new ArgumentOutOfRangeException(nameof(DrainSeconds), DrainSeconds, "DrainSeconds (--drain) must lie in [0, 3600].");
        if (RetryAfterSeconds < 1)
            throw new ArgumentOutOfRangeException(nameof(RetryAfterSeconds), RetryAfterSeconds, "RetryAfterSeconds must be at least 1.");
        if (TorchThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(TorchThreads), TorchThreads, "TorchThreads (--torch-threads) must be null or at least 1.");
        if (OnnxThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(OnnxThreads), OnnxThreads, "OnnxThreads (--onnx-threads) must be null or at least 1.");
    }
}

/// <summary>The runtime that runs the segmentation network.</summary>
public enum ServiceRuntime
{
    /// <summary>TorchSharp (libtorch) on an AD-GAN model zip.</summary>
    Torch,

    /// <summary>ONNX Runtime on an exported graph (<c>adgan export --onnx</c>); TorchSharp's natives are never loaded.</summary>
    Onnx,
}
