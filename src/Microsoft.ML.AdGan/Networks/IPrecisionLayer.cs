namespace Microsoft.ML.AdGan.Networks;

/// <summary>A layer whose arithmetic precision can be switched without touching its float32 parameters.</summary>
internal interface IPrecisionLayer
{
    /// <summary>The precision the layer computes in when its input is float32.</summary>
    ComputePrecision Precision { get; set; }
}
