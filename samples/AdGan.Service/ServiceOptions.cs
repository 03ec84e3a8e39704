namespace AdGan.Service;

/// <summary>Settings of the segmentation service (configuration section "Segmentation", or the command-line switches of <see cref="ServiceApp"/>).</summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Segmentation";

    /// <summary>Path of the AD-GAN model zip, loaded once at startup.</summary>
    public string ModelPath { get; set; } = "model.zip";

    /// <summary>Addresses to listen on (e.g. http://127.0.0.1:0 for a free loopback port); empty: ASP.NET's defaults (ASPNETCORE_URLS, --urls).</summary>
    public IList<string> Urls { get; set; } = new List<string>();

    /// <summary>Largest accepted request body in bytes (Kestrel's MaxRequestBodySize); larger bodies get 413. Default 64 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most images segmented at once; further requests wait (bounds activation memory). Default: the processor count.</summary>
    public int MaxConcurrentSegmentations { get; set; } = Environment.ProcessorCount;

    /// <summary>Torch intra-op threads (process-wide), or null to keep Torch's default.</summary>
    public int? TorchThreads { get; set; }

    /// <summary>The model's network to segment with (Generator, or Student when the model carries one); null: the one the model names.</summary>
    public Microsoft.ML.AdGan.Inference.SegmentationNetwork? Network { get; set; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("ModelPath must name the model zip.", nameof(ModelPath));
        if (MaxRequestBodyBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "MaxRequestBodyBytes must be at least 1.");
        if (MaxConcurrentSegmentations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentSegmentations), MaxConcurrentSegmentations, "MaxConcurrentSegmentations must be at least 1.");
        if (TorchThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(TorchThreads), TorchThreads, "TorchThreads must be null or at least 1.");
    }
}
