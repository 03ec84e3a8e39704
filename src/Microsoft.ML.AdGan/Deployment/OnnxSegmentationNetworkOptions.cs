namespace Microsoft.ML.AdGan.Deployment;

/// <summary>How <see cref="OnnxSegmentationNetwork"/> runs ONNX Runtime (immutable; copy with <c>with</c>).</summary>
public sealed record OnnxSegmentationNetworkOptions
{
    /// <summary>Threads one call may use (ONNX Runtime's intra-op pool); 0 lets ONNX Runtime choose (one per physical core). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// CUDA device to run on, which needs the CUDA build of ONNX Runtime's natives (Microsoft.ML.OnnxRuntime.Gpu.Linux) in the
    /// application; null runs on the CPU. Default null.
    /// </summary>
    public int? CudaDevice { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Threads < 0)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 0 (ONNX Runtime's choice) or more.");
        if (CudaDevice is < 0)
            throw new ArgumentOutOfRangeException(nameof(CudaDevice), CudaDevice, "CudaDevice must be null (CPU) or a device index of 0 or more.");
    }
}
