using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Training;

/// <summary>The budget planner with injected timings: no test here reads a clock.</summary>
[TestClass]
public sealed class TrainingBudgetPlannerTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    private static void AssertDecayKeepsItsShare(TrainingPlan plan, double share) =>
        Assert.IsGreaterThanOrEqualTo(share * plan.TotalIterations - 1e-9, plan.DecayIterations, $"decay {plan.DecayIterations} of {plan.TotalIterations}");

    [TestMethod]
    public void PlanFillsTheBudgetLessItsMarginAtTheMeasuredSpeed()
    {
        var planner = new TrainingBudgetPlanner(HalfHour, decayShare: 0.5, marginShare: 0.05);
        // 25 iterations in 30 s (the first ones slow), then 1 s per iteration: 1800 - 90 - 30 = 1680 s left, 1680 more iterations.
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1.0);

        Assert.AreEqual(1705, plan.TotalIterations);
        Assert.AreEqual(853, plan.DecayIterations);
        Assert.AreEqual(852, plan.ConstantIterations);
        var end = plan.ExpectedEnd;
        Assert.AreEqual(TimeSpan.FromSeconds(1710), end);
        Assert.IsLessThanOrEqualTo(HalfHour - plan.Margin, plan.ExpectedEnd);
        Assert.AreEqual(TimeSpan.FromSeconds(90), plan.Margin);
        Assert.IsFalse(plan.Overruns);
        Assert.IsFalse(plan.IsReplan);
        StringAssert.Contains(plan.ToString(), "852 constant + 853 decaying iterations (1705 in all) at 1 s/iteration");
    }

    [TestMethod]
    public void TheReserveIsLeftForLaterWork()
    {
        var without = new TrainingBudgetPlanner(HalfHour, 0.5).Plan(25, TimeSpan.FromSeconds(30), 0.5);
        var planner = new TrainingBudgetPlanner(HalfHour, 0.5, marginShare: 0.05, reserveShare: 0.25);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 0.5);

        Assert.AreEqual(TimeSpan.FromMinutes(7.5), plan.Reserved);
        Assert.IsLessThanOrEqualTo(HalfHour - plan.Reserved - plan.Margin, plan.ExpectedEnd);
        Assert.IsGreaterThan(HalfHour - plan.Reserved - plan.Margin - TimeSpan.FromSeconds(1), plan.ExpectedEnd, "the rest is used");
        Assert.AreEqual(without.TotalIterations - 900, plan.TotalIterations, "7.5 minutes at 0.5 s fewer");
        StringAssert.Contains(plan.ToString(), "7.5 min reserved");
    }

    [TestMethod]
    public void TheDecayKeepsTheOptionsShare()
    {
        var options = new AdGanTrainerOptions { Iterations = 3000, DecayIterations = 1000, TimeBudget = TimeSpan.FromMinutes(10) };
        var planner = options.BudgetPlanner()!;
        Assert.AreEqual(0.25, planner.DecayShare);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(20), 0.3);
        AssertDecayKeepsItsShare(plan, 0.25);
        Assert.AreEqual((int)Math.Ceiling(0.25 * plan.TotalIterations), plan.DecayIterations);
        Assert.IsNull(new AdGanTrainerOptions().BudgetPlanner(), "no budget, no planner");
    }

    [TestMethod]
    public void NoDecayPlansOnlyTheConstantPhase()
    {
        var plan = new TrainingBudgetPlanner(TimeSpan.FromMinutes(1), 0, marginShare: 0).Plan(10, TimeSpan.FromSeconds(10), 1);
        Assert.AreEqual(0, plan.DecayIterations);
        Assert.AreEqual(60, plan.ConstantIterations);
    }

    [TestMethod]
    public void ABudgetTooSmallEndsTheConstantPhaseAndKeepsTheDecaysShare()
    {
        var planner = new TrainingBudgetPlanner(TimeSpan.FromMinutes(1), 0.5);
        // 25 iterations took 50 s of the 60: no time for 25 decaying ones, but the decay keeps its half.
        var plan = planner.Plan(25, TimeSpan.FromSeconds(50), 2.0);

        Assert.AreEqual(25, plan.ConstantIterations);
        Assert.AreEqual(25, plan.DecayIterations);
        Assert.IsTrue(plan.Overruns);
        StringAssert.Contains(plan.ToString(), "past the budget");

        var spent = planner.Plan(25, TimeSpan.FromMinutes(2), 2.0);
        Assert.AreEqual(25, spent.ConstantIterations, "past the deadline: the decay starts at once");
        Assert.AreEqual(25, spent.DecayIterations);
    }

    [TestMethod]
    public void ThePlannerIsReadyAfterTheMeasuredIterationsOrEarlyOnAShortBudget()
    {
        var planner = new TrainingBudgetPlanner(TimeSpan.FromMinutes(10), 0.5, warmupIterations: 5, measuredIterations: 20);
        Assert.IsFalse(planner.IsReady(0, TimeSpan.FromMinutes(5)), "nothing measured yet");
        Assert.IsFalse(planner.IsReady(19, TimeSpan.FromSeconds(30)));
        Assert.IsTrue(planner.IsReady(20, TimeSpan.FromSeconds(30)));
        Assert.IsTrue(planner.IsReady(3, TimeSpan.FromMinutes(1)), "a tenth of the budget spent: plan from what was measured");
    }

    [TestMethod]
    public void TheReplanPointLiesInTheConstantPhase()
    {
        var planner = new TrainingBudgetPlanner(HalfHour, 0.5, measuredIterations: 20);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1.0);
        Assert.AreEqual(25 + (852 - 25) / 4, planner.ReplanAt(plan));

        var shortPlan = new TrainingPlan(40, 40, 1, 25, TimeSpan.FromSeconds(25), HalfHour, TimeSpan.Zero, TimeSpan.Zero, false);
        Assert.IsNull(planner.ReplanAt(shortPlan), "25 + 20 measured iterations pass the constant phase's end at 40");
    }

    [TestMethod]
    public void AReplanKeepsASteadySpeedsPlan()
    {
        var planner = new TrainingBudgetPlanner(HalfHour, 0.5);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1.0);
        // 200 more iterations in 210 s: 5% slower, within the 10% tolerance.
        Assert.IsNull(planner.Replan(plan, 225, TimeSpan.FromSeconds(240)));
    }

    [TestMethod]
    public void AReplanShortensTheScheduleWhenTrainingSlowedDown()
    {
        var planner = new TrainingBudgetPlanner(HalfHour, 0.5);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1.0);
        // 200 more iterations took 300 s: 1.5 s per iteration from now on.
        var replan = planner.Replan(plan, 225, TimeSpan.FromSeconds(330))!;

        Assert.IsTrue(replan.IsReplan);
        Assert.AreEqual(1.5, replan.SecondsPerIteration, 1e-12);
        Assert.AreEqual(225 + (int)Math.Floor((1710 - 330) / 1.5), replan.TotalIterations);
        Assert.IsLessThan(plan.TotalIterations, replan.TotalIterations);
        Assert.IsLessThanOrEqualTo(HalfHour - replan.Margin, replan.ExpectedEnd);
        Assert.IsGreaterThanOrEqualTo(225, replan.ConstantIterations);
        AssertDecayKeepsItsShare(replan, 0.5);
        StringAssert.StartsWith(replan.ToString(), "Re-planned");
    }

    [TestMethod]
    public void AReplanLengthensTheScheduleWhenTrainingSpedUp()
    {
        var planner = new TrainingBudgetPlanner(HalfHour, 0.25);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1.0);
        var replan = planner.Replan(plan, 225, TimeSpan.FromSeconds(130))!;

        Assert.AreEqual(0.5, replan.SecondsPerIteration, 1e-12);
        Assert.IsGreaterThan(plan.TotalIterations, replan.TotalIterations);
        AssertDecayKeepsItsShare(replan, 0.25);
        Assert.IsLessThanOrEqualTo(HalfHour - replan.Margin, replan.ExpectedEnd);
    }

    [TestMethod]
    public void AReplanNeverEndsTheConstantPhaseBeforeWhatIsDoneNorShortensTheDecaysShare()
    {
        var planner = new TrainingBudgetPlanner(TimeSpan.FromMinutes(10), 0.5);
        var plan = planner.Plan(25, TimeSpan.FromSeconds(25), 1.0);
        // Then a ten-fold slow-down: 100 iterations in 1000 s leave no time in the budget.
        var replan = planner.Replan(plan, 125, TimeSpan.FromSeconds(1025))!;

        Assert.AreEqual(125, replan.ConstantIterations);
        Assert.AreEqual(125, replan.DecayIterations);
        Assert.IsTrue(replan.Overruns);
    }

    [TestMethod]
    public void BadArgumentsAreNamed()
    {
        Assert.AreEqual("budget", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingBudgetPlanner(TimeSpan.Zero, 0.5)).ParamName);
        Assert.AreEqual("decayShare", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingBudgetPlanner(HalfHour, 1)).ParamName);
        Assert.AreEqual("marginShare", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingBudgetPlanner(HalfHour, 0.5, 0.5, 0.5)).ParamName);
        var planner = new TrainingBudgetPlanner(HalfHour, 0.5);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => planner.Plan(25, TimeSpan.FromSeconds(30), 0));
        var plan = planner.Plan(25, TimeSpan.FromSeconds(30), 1);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => planner.Replan(plan, 25, TimeSpan.FromSeconds(40)));

        Assert.AreEqual(nameof(AdGanTrainerOptions.Iterations), Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new AdGanTrainerOptions { Iterations = 0, DecayIterations = 10, TimeBudget = HalfHour }.Validate()).ParamName);
        Assert.AreEqual(nameof(AdGanTrainerOptions.TimeBudget), Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new AdGanTrainerOptions { TimeBudget = TimeSpan.FromSeconds(-1) }.Validate()).ParamName);
        Assert.AreEqual(nameof(AdGanTrainerOptions.TimeBudgetReserve), Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new AdGanTrainerOptions { TimeBudget = HalfHour, TimeBudgetReserve = 0.96 }.Validate()).ParamName);
    }
}
