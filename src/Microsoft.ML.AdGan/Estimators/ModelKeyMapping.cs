using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdGan.Estimators;

/// <summary>
/// Adds a constant key column; a saved ValueMapping then maps it to the weight blob. This is how the weights
/// travel inside a plain ML.NET model zip through public, saveable transforms only.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ModelKeyMapping : CustomMappingFactory<ModelKeyMapping.Input, ModelKeyMapping.Output>
{
    /// <summary>Contract name recorded in model files.</summary>
    public const string ContractName = "AdGan.ModelKey.v1";

    /// <summary>The key value the ValueMapping looks up.</summary>
    public const string Key = "model";

    /// <summary>No input is read.</summary>
    public sealed class Input
    {
    }

    /// <summary>The key column.</summary>
    public sealed class Output
    {
        /// <summary>The constant key.</summary>
        public string __AdGanKey { get; set; } = Key;
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => (_, output) => output.__AdGanKey = Key;
}
