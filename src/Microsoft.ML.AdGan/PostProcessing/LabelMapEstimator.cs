using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// Base of the estimators that turn one vector column with Int32 shape columns into an instance label map column
/// (UInt32 vector plus its shape columns). Trivial: fitting learns nothing.
/// </summary>
public abstract class LabelMapEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : LabelMapTransformer
{
    private protected LabelMapEstimator(MLContext ml, string outputColumnName, string inputColumnName, string? heightColumnName, string? widthColumnName, string? depthColumnName)
    {
        Ml = ml ?? throw new ArgumentNullException(nameof(ml));
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        HeightColumnName = heightColumnName ?? MicroscopyImageColumns.Height(inputColumnName);
        WidthColumnName = widthColumnName ?? MicroscopyImageColumns.Width(inputColumnName);
        DepthColumnName = depthColumnName ?? MicroscopyImageColumns.Depth(inputColumnName);
    }

    /// <summary>The label map column to create (with its shape columns: this name + ".Height", ".Width", and ".Depth" for volumes).</summary>
    public string OutputColumnName { get; }

    /// <summary>The column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>The height column (default: input name + ".Height", as LoadMicroscopyImages names it).</summary>
    public string HeightColumnName { get; }

    /// <summary>The width column (default: input name + ".Width").</summary>
    public string WidthColumnName { get; }

    /// <summary>The depth column (default: input name + ".Depth"); when the input has no such column the input is 2D.</summary>
    public string DepthColumnName { get; }

    private protected MLContext Ml { get; }

    /// <inheritdoc/>
    public abstract TTransformer Fit(IDataView input);

    /// <inheritdoc/>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);

    /// <summary>Whether the input is a volume, after checking its columns (<paramref name="what"/> names the input in errors).</summary>
    private protected bool CheckInput(DataViewSchema schema, string what) =>
        LabelMapChain.CheckInput(schema, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, what);

    /// <summary>Whether the input is a volume, from the schema shape.</summary>
    private protected bool CheckShape(SchemaShape shape) =>
        LabelMapChain.CheckShape(shape, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName);

    /// <summary>The chain of <see cref="LabelMapChain.Build"/> over these columns.</summary>
    private protected IEstimator<ITransformer> Chain(bool is3D, float[] options, IEstimator<ITransformer> mapping,
        IEstimator<ITransformer>? extraInput = null, IReadOnlyList<string>? extraColumns = null) =>
        LabelMapChain.Build(Ml, OutputColumnName, InputColumnName, HeightColumnName, WidthColumnName, DepthColumnName, is3D, options, mapping,
            copyShapeToOutput: true, extraInput, extraColumns);
}
