using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>Training with a time budget: whatever the machine's speed, it runs the schedule it planned and logs.</summary>
[TestClass]
public sealed class BudgetedTrainingTests
{
    private static Dictionary<string, float[]> Weights(AdGanTrainer trainer) =>
        trainer.Networks.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.cpu().data<float>().ToArray());

    [TestMethod]
    public void ABudgetedRunCompletesItsPlanAndEqualsTheFixedRunOfThatPlan()
    {
        var budgeted = TinyTraining.Options<AdGanTrainerOptions>(3, 1);
        budgeted.TimeBudget = TimeSpan.FromSeconds(2);
        budgeted.MetricsEvery = 1000;
        var log = new List<string>();
        TrainingPlan plan;
        Dictionary<string, float[]> expected;
        using (var trainer = new AdGanTrainer(budgeted, TinyTraining.Source(budgeted), log: log.Add))
        {
            trainer.Train().Dispose();
            plan = trainer.Plan!;
            Assert.IsNotNull(plan, string.Join("\n", log));
            Assert.AreEqual(plan.TotalIterations, trainer.CompletedIterations);
            Assert.AreEqual(plan.TotalIterations, trainer.PlannedIterations);
            Assert.IsGreaterThanOrEqualTo(Math.Ceiling(0.25 * plan.TotalIterations), plan.DecayIterations, "the options' 3 : 1 share");
            expected = Weights(trainer);
        }
        Assert.IsTrue(log.Any(l => l.StartsWith("Planned ", StringComparison.Ordinal)), string.Join("\n", log));
        Assert.IsTrue(log.Any(l => l.StartsWith("AD-GAN's schedule ended after", StringComparison.Ordinal)), string.Join("\n", log));

        // The warm-up ran at the constant learning rate, so the same schedule given as fixed iterations replays the run.
        var fixedRun = TinyTraining.Options<AdGanTrainerOptions>(plan.ConstantIterations, plan.DecayIterations);
        using var replay = new AdGanTrainer(fixedRun, TinyTraining.Source(fixedRun));
        replay.Train().Dispose();
        Assert.IsNull(replay.Plan);
        var actual = Weights(replay);
        foreach (var (name, values) in expected)
            CollectionAssert.AreEqual(values, actual[name], $"parameter {name} differs from the fixed run of the plan");
    }

    [TestMethod]
    public void TheDemoPlansItsMinutesOrRunsItsFixedIterations()
    {
        var planned = new Microsoft.ML.AdGan.Tools.Demo.DemoSettings().TrainerOptions();
        Assert.AreEqual(TimeSpan.FromMinutes(4), planned.TimeBudget);
        Assert.AreEqual(TimeSpan.FromMinutes(30), Microsoft.ML.AdGan.Tools.Demo.DemoSettings.Volumes().TrainerOptions().TimeBudget);

        var demo = new Microsoft.ML.AdGan.Tools.Demo.DemoSettings();
        demo.UseIterations(9);
        var fixedRun = demo.TrainerOptions();
        Assert.IsNull(fixedRun.TimeBudget);
        Assert.AreEqual((5, 4), (fixedRun.Iterations, fixedRun.DecayIterations));

        var neither = new Microsoft.ML.AdGan.Tools.Demo.DemoSettings { Training = { TimeBudget = null, Iterations = 0, DecayIterations = 0 } };
        Assert.AreEqual("Training.TimeBudget", Assert.ThrowsExactly<ArgumentException>(neither.Validate).ParamName);
        var noTime = new Microsoft.ML.AdGan.Tools.Demo.DemoSettings { Training = { TimeBudget = TimeSpan.Zero } };
        Assert.AreEqual(nameof(AdGanTrainerOptions.TimeBudget), Assert.ThrowsExactly<ArgumentOutOfRangeException>(noTime.Validate).ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Microsoft.ML.AdGan.Tools.Demo.DemoSettings().UseIterations(0));
    }

    [TestMethod]
    public void TimeSpentBeforeTrainingComesOffACopysBudget()
    {
        var options = new AdGanTrainerOptions { TimeBudget = TimeSpan.FromMinutes(10) };
        var started = options.WithBudgetSpent(TimeSpan.FromMinutes(2));
        Assert.AreEqual(TimeSpan.FromMinutes(8), started.TimeBudget);
        Assert.AreEqual(TimeSpan.FromMinutes(10), options.TimeBudget, "the caller's options are not changed");
        var estimator = new Microsoft.ML.AdGan.Estimators.AdGanSegmentationEstimator.Options { TimeBudget = TimeSpan.FromMinutes(1) };
        Assert.IsInstanceOfType<Microsoft.ML.AdGan.Estimators.AdGanSegmentationEstimator.Options>(estimator.WithBudgetSpent(TimeSpan.FromSeconds(1)));
        Assert.ThrowsExactly<InvalidOperationException>(() => estimator.WithBudgetSpent(TimeSpan.FromMinutes(1)));
        var fixedRun = new AdGanTrainerOptions();
        Assert.AreSame(fixedRun, fixedRun.WithBudgetSpent(TimeSpan.FromHours(1)));
    }
}
