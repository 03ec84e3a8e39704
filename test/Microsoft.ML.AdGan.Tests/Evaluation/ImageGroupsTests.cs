using Microsoft.ML.AdGan.Evaluation;
using Microsoft.ML.AdGan.Tools.Datasets;

namespace Microsoft.ML.AdGan.Tests.Evaluation;

[TestClass]
public sealed class ImageGroupsTests
{
    internal const string Csv = """
        Image_Name,Diagnosis,Preparation,Magnification
        normal_0,normal (HaCaT),cellline grown,63x
        normal_1,normal (HaCaT),cellline cytospin,63x
        Neuroblastoma_0,Neuroblastoma,BM cytospin,63x
        Ganglioneuroblastoma_0,Ganglioneuroblastoma,tissue section,20x
        normal_2,normal (HaCaT),cellline cytospin,63x
        """;

    [TestMethod]
    [DataRow("HaCaT cytospin", "normal (HaCaT) | cellline cytospin")]
    [DataRow("hacat GROWN", "normal (HaCaT) | cellline grown")]
    [DataRow("neuroblastoma BM cytospin", "Neuroblastoma | BM cytospin")]
    [DataRow("Ganglio", "Ganglioneuroblastoma | tissue section")]
    public void AFilterSelectsExactlyItsGroup(string filter, string group)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("d.csv"), Csv);
        var groups = ImageGroups.Read(temp.File("d.csv"), filter);
        Assert.HasCount(1, groups);
        Assert.AreEqual(group, groups.Keys.Single());
    }

    [TestMethod]
    public void WholeWordsDoNotMatchInsideOtherWords()
    {
        Assert.IsFalse(ImageGroups.Matches("Ganglioneuroblastoma | tissue section", "neuroblastoma tissue"));
        Assert.IsTrue(ImageGroups.Matches("Neuroblastoma | Tumor touch imprint", "neuroblastoma touch imprint"));
        Assert.IsFalse(ImageGroups.Matches("normal (HaCaT) | cellline grown", "HaCaT cytospin"));
    }

    [TestMethod]
    public void GroupsKeepFileOrderAndTheirImages()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("d.csv"), Csv);
        var groups = ImageGroups.Read(temp.File("d.csv"));
        Assert.AreEqual("normal (HaCaT) | cellline grown", groups.Keys.First());
        CollectionAssert.AreEqual(new[] { "normal_1", "normal_2" }, groups["normal (HaCaT) | cellline cytospin"].ToArray());
        Assert.HasCount(4, groups);
    }

    [TestMethod]
    public void AMissingFileIsNamed()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ImageGroups.Read("/nonexistent/description.csv"));
        StringAssert.Contains(e.Message, "/nonexistent/description.csv");
    }
}
