using Microsoft.ML.AdGan.Networks;

namespace Microsoft.ML.AdGan.Tests.Networks;

[TestClass]
public sealed class GeneratorCostTests
{
    /// <summary>
    /// Counted by hand from the architecture: two 7 x 7 convolutions at full resolution (49 ngf each); two stride-2 and two
    /// transposed 3 x 3 convolutions between ngf, 2 ngf and 4 ngf (9 x 2 ngf² each, at a quarter or a sixteenth of the
    /// positions: 4.5 ngf² each); sixteen 3 x 3 convolutions of 4 ngf at a sixteenth of the positions (9 ngf² each).
    /// </summary>
    [TestMethod]
    [DataRow(4)]
    [DataRow(16)]
    public void MultiplyAddsPerPixelMatchTheHandCount(int ngf)
    {
        using var networks = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = ngf, StyleMlpWidth = 8 });
        double expected = 98.0 * ngf + 162.0 * ngf * ngf;   // ngf 16: 43,040
        Assert.AreEqual(expected, GeneratorCost.MultiplyAddsPerInputPixel(networks), 1e-6);
    }
}
