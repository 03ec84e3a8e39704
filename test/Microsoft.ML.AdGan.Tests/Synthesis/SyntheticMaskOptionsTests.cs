using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Tests.Synthesis;

[TestClass]
public sealed class SyntheticMaskOptionsTests
{
    public static IEnumerable<object[]> InvalidOptions()
    {
        yield return new object[] { new SyntheticMaskOptions { SemiAxis = (0, 5) }, "SemiAxis", "0" };
        yield return new object[] { new SyntheticMaskOptions { SemiAxis = (-3, 5) }, "SemiAxis", "-3" };
        yield return new object[] { new SyntheticMaskOptions { SemiAxis = (18, 13) }, "SemiAxis", "(18, 13)" };
        yield return new object[] { new SyntheticMaskOptions { CountPerPatch = (-1, 5) }, "CountPerPatch", "-1" };
        yield return new object[] { new SyntheticMaskOptions { CountPerPatch = (40, 5) }, "CountPerPatch", "(40, 5)" };
        yield return new object[] { new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(2, 2), CountPerPatch = (1, 5) }, "CountPerPatch", "5" };
        yield return new object[] { new SyntheticMaskOptions { Eccentricity = (-0.1, 0.5) }, "Eccentricity", "-0.1" };
        yield return new object[] { new SyntheticMaskOptions { Eccentricity = (0.2, 1.0) }, "Eccentricity", "1" };
        yield return new object[] { new SyntheticMaskOptions { Eccentricity = (0.6, 0.3) }, "Eccentricity", "(0.6, 0.3)" };
        yield return new object[] { new SyntheticMaskOptions { Eccentricity = (double.NaN, 0.3) }, "Eccentricity", "NaN" };
        yield return new object[] { new SyntheticMaskOptions { MaxConsecutiveRejections = 0 }, "MaxConsecutiveRejections", "0" };
        yield return new object[] { new SyntheticMaskOptions { Coding = (SyntheticMaskCoding)7 }, "Coding", "7" };
        yield return new object[] { new SyntheticMaskOptions { PatchShape = default }, "PatchShape", "uninitialised" };
    }

    [TestMethod]
    [DynamicData(nameof(InvalidOptions))]
    public void InvalidOptionsThrowNamingTheOptionAndValue(SyntheticMaskOptions options, string name, string value)
    {
        var exception = Assert.ThrowsExactly<ArgumentException>(() => new SyntheticMaskGenerator(options));
        Assert.AreEqual(name, exception.ParamName);
        StringAssert.Contains(exception.Message, name);
        StringAssert.Contains(exception.Message, value);
    }

    [TestMethod]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new SyntheticMaskOptions();
        Assert.AreEqual(ImageShape.Of2D(256, 256), options.PatchShape);
        Assert.AreEqual((13, 18), options.SemiAxis);
        Assert.AreEqual((5, 40), options.CountPerPatch);
        Assert.AreEqual((0.25, 0.75), options.Eccentricity);
        Assert.AreEqual(SyntheticMaskCoding.Semantic, options.Coding);
        Assert.AreEqual(100, options.MaxConsecutiveRejections);
        options.Validate();
    }

    [TestMethod]
    public void GeneratorCopiesItsOptions()
    {
        var options = new SyntheticMaskOptions { PatchShape = ImageShape.Of2D(32, 32), SemiAxis = (3, 5), CountPerPatch = (2, 2) };
        var generator = new SyntheticMaskGenerator(options);
        var before = generator.Generate(0);
        options.SemiAxis = (9, 10);
        CollectionAssert.AreEqual(before.Labels.Data, generator.Generate(0).Labels.Data);
    }
}
