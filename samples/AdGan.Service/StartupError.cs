namespace AdGan.Service;

/// <summary>How the service reports a failed start: exit codes and a one-line reason.</summary>
internal static class StartupError
{
    /// <summary>Exit code when a setting or the model is wrong (the service never started).</summary>
    public const int ExitCode = 2;

    /// <summary>Exit code when the service could not listen (an address in use, no permission).</summary>
    public const int ListenExitCode = 3;

    /// <summary>
    /// The reason: the exception's message, with the innermost cause where the outer message does not already say it
    /// (ML.NET and type initialisers wrap the real error), and a hint when a native library is missing.
    /// </summary>
    public static string Describe(Exception e)
    {
        var chain = new List<Exception>();
        for (var inner = e; inner is not null; inner = inner.InnerException)
            chain.Add(inner);
        string cause = chain[^1].Message.Split('\n', 2)[0].Trim();
        if (chain.Any(x => x is DllNotFoundException) || chain.Any(x => x is TypeInitializationException t && t.TypeName?.StartsWith("TorchSharp", StringComparison.Ordinal) == true))
            return $"TorchSharp's native libraries could not be loaded ({cause}); a build without them serves only --runtime onnx with an exported .onnx model.";
        bool wrapper = e is InvalidOperationException or TypeInitializationException or System.Reflection.TargetInvocationException or AggregateException;
        return wrapper && !e.Message.Contains(cause, StringComparison.Ordinal) ? $"{e.Message} ({cause})" : e.Message;
    }
}
