using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.PostProcessing;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Cli;

[TestClass]
public sealed class StudentArgumentsTests
{
    private static (AdGanTrainerOptions Options, IReadOnlyList<StudentDecoding> Decodings) Build(params string[] args)
    {
        var arguments = new TrainingArguments();
        var command = new System.CommandLine.Command("train");
        foreach (var option in arguments.All)
            command.Options.Add(option);
        var parsed = command.Parse(args);
        return (arguments.Build(parsed), arguments.Student.Decodings(parsed));
    }

    [TestMethod]
    public void TheFlagsSetTheStudentOptions()
    {
        Assert.IsNull(Build().Options.Student, "no student unless asked");
        var (options, decodings) = Build("--student", "on", "--student-iterations", "300", "--student-patches", "64", "--student-channels", "12", "--student-depth", "4",
            "--student-target", "ThreeLevel", "--student-pseudo-labels", "0.25", "--student-decoding", "cores,split");
        var student = options.Student!;
        Assert.AreEqual(300, student.Iterations);
        Assert.AreEqual(64, student.Patches);
        Assert.AreEqual(new StudentNetworkOptions { BaseChannels = 12, Depth = 4, Target = StudentTarget.ThreeLevel }, student.Network);
        Assert.AreEqual(0.25, student.PseudoLabelFraction);
        Assert.AreEqual(StudentDecoding.Cores, student.Decoding, "the first listed decoding is recorded");
        CollectionAssert.AreEqual(new[] { StudentDecoding.Cores, StudentDecoding.Split }, decodings.ToArray());
        Assert.IsNotNull(Build("--student", "on").Options.Student);
    }

    [TestMethod]
    public void InconsistentFlagsAreNamed()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build("--student-iterations", "10")).Message, "--student on");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build("--student", "off", "--student-depth", "2")).Message, "--student off");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build("--student", "maybe")).Message, "on or off");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Build("--student", "on", "--student-decoding", "peaks,best")).Message, "'best'");
    }
}
