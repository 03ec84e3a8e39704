using TorchSharp;

namespace Microsoft.ML.AdGan.Tests;

[TestClass]
public sealed class NativeLoadingTests
{
    [TestMethod]
    public void TensorOperationRunsOnTheCpuBackend()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        using var b = torch.tensor(new float[] { 4, 5, 6 });
        using var dot = (a * b).sum();
        Assert.AreEqual(32f, dot.item<float>());
    }
}
