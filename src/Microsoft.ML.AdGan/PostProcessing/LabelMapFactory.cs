using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>Base of the row mappings that produce a label map; ML.NET model loading finds each by its contract name.</summary>
internal abstract class LabelMapFactory<TInput> : CustomMappingFactory<TInput, InstanceLabelRows.Output>
    where TInput : class, new()
{
    private readonly Action<TInput, InstanceLabelRows.Output> _map;

    private protected LabelMapFactory(Action<TInput, InstanceLabelRows.Output> map) => _map = map;

    /// <inheritdoc/>
    public override Action<TInput, InstanceLabelRows.Output> GetMapping() => _map;
}
