using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

[TestClass]
public sealed class ScheduleAndRandomTests
{
    [TestMethod]
    public void LearningRateIsConstantThenDecaysLinearlyToZero()
    {
        Assert.AreEqual(2e-4, LearningRateSchedule.At(0, 2e-4, 10, 10), 1e-12);
        Assert.AreEqual(2e-4, LearningRateSchedule.At(9, 2e-4, 10, 10), 1e-12);
        Assert.AreEqual(2e-4 * (1 - 1 / 11.0), LearningRateSchedule.At(10, 2e-4, 10, 10), 1e-12);
        Assert.AreEqual(2e-4 / 11.0, LearningRateSchedule.At(19, 2e-4, 10, 10), 1e-12);
        Assert.IsLessThan(LearningRateSchedule.At(14, 2e-4, 10, 10), LearningRateSchedule.At(15, 2e-4, 10, 10));
    }

    [TestMethod]
    public void ResumableRandomContinuesFromASavedState()
    {
        var a = new ResumableRandom(42);
        for (int i = 0; i < 5; i++) a.NextDouble();
        var saved = a.State;
        var expected = Enumerable.Range(0, 10).Select(_ => a.Next(1000)).ToArray();
        var b = new ResumableRandom(0) { State = saved };
        CollectionAssert.AreEqual(expected, Enumerable.Range(0, 10).Select(_ => b.Next(1000)).ToArray());
        Assert.AreNotEqual(ResumableRandom.Mix(1, 2), ResumableRandom.Mix(2, 1));
    }

    [TestMethod]
    public void ResumableRandomDrawsLieInRange()
    {
        var r = new ResumableRandom(7);
        for (int i = 0; i < 1000; i++)
        {
            double d = r.NextDouble();
            Assert.IsTrue(d >= 0 && d < 1);
            int n = r.Next(3, 9);
            Assert.IsTrue(n >= 3 && n < 9);
        }
    }
}
