using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>Asking for bfloat16 on a CPU without native bfloat16 warns that it will be slower.</summary>
[TestClass]
public sealed class BFloat16SupportTests
{
    [TestMethod]
    public void NativeBFloat16IsReadFromTheCpuFlags()
    {
        Assert.IsTrue(BFloat16Support.HasNativeFlags(new[] { "processor\t: 0", "flags\t\t: fpu sse avx2 avx512f avx512_bf16 amx_tile" }));
        Assert.IsTrue(BFloat16Support.HasNativeFlags(new[] { "flags\t\t: fpu avx2 amx_bf16 amx_tile" }));
        Assert.IsFalse(BFloat16Support.HasNativeFlags(new[] { "flags\t\t: fpu sse avx avx2 fma avx512f avx512bw" }));
        Assert.IsFalse(BFloat16Support.HasNativeFlags(new[] { "model name\t: avx512_bf16 in a name is not a flag" }));
        Assert.IsFalse(BFloat16Support.HasNativeFlags(Array.Empty<string>()));
    }

    [TestMethod]
    public void OnlyBFloat16WithoutNativeSupportWarns()
    {
        Assert.IsNull(BFloat16Support.SlowWarning(ComputePrecision.Float32));
        var warning = BFloat16Support.SlowWarning(ComputePrecision.BFloat16Mixed);
        Console.WriteLine($"native bfloat16: {BFloat16Support.IsNative}; warning: {warning ?? "none"}");
        if (BFloat16Support.IsNative)
        {
            Assert.IsNull(warning);
            return;
        }
        Assert.IsNotNull(warning);
        StringAssert.Contains(warning, "slower");
        StringAssert.Contains(warning, "bfloat16");
    }

    [TestMethod]
    public void TheTrainerLogsTheWarningWhenBFloat16IsRequested()
    {
        var options = TinyTraining.Options<AdGanTrainerOptions>();
        options.Precision = ComputePrecision.BFloat16Mixed;
        var log = new List<string>();
        using (new AdGanTrainer(options, TinyTraining.Source(options), log: log.Add)) { }
        Assert.AreEqual(!BFloat16Support.IsNative, log.Any(l => l.Contains("slower", StringComparison.Ordinal)), string.Join(Environment.NewLine, log));
        options.Precision = ComputePrecision.Float32;
        log.Clear();
        using (new AdGanTrainer(options, TinyTraining.Source(options), log: log.Add)) { }
        Assert.IsFalse(log.Any(l => l.Contains("slower", StringComparison.Ordinal)));
    }
}
