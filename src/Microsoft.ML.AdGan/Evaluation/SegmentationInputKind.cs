namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>How the evaluator reads a map.</summary>
public enum SegmentationInputKind
{
    /// <summary>Instance label maps: 0 is background, every other value one object.</summary>
    Instance,

    /// <summary>Binary masks: nonzero is foreground; objects are its connected components.</summary>
    Binary,
}
