namespace AdGan.Service;

/// <summary>How the service reports a failed start: exit codes and a one-line reason.</summary>
internal static class StartupError
{
    /// <summary>Exit code when a setting or the model is wrong (the service never started).</summary>
    public const int ExitCode = 2;

    /// <summary>Exit code when the service could not listen (an address in use, no permission).</summary>
    public const int ListenExitCode = 3;

    /// <summary>The reason, with the innermost message where the outer one only says that a type failed to initialise.</summary>
    public static string Describe(Exception e)
    {
        var inner = e;
        while (inner is TypeInitializationException or System.Reflection.TargetInvocationException && inner.InnerException is not null)
            inner = inner.InnerException;
        return inner is DllNotFoundException
            ? $"a native library is missing ({inner.Message}); a build without TorchSharp's natives runs only --runtime onnx."
            : inner.Message;
    }
}
