namespace Microsoft.ML.AdGan.Persistence;

/// <summary>A model or checkpoint file is truncated, foreign or written by a newer version of the library.</summary>
public sealed class AdGanModelFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the file and the reason.</summary>
    public AdGanModelFormatException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
