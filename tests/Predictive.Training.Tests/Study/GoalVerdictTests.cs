using Predictive.Research.Metrics;
using Predictive.Training.Study;

namespace Predictive.Training.Tests.Study;

[TestClass]
public sealed class GoalVerdictTests
{
    [TestMethod]
    public void Judge_AllConditionsHold_Met()
    {
        var v = GoalVerdict.Judge("x", 2.0, [1.9, 2.1], 1.5, Classical(("equal", 1.5), ("hrp", 1.6), ("min-variance", 1.2)), 0.97, 30);

        Assert.IsTrue(v.Met, v.Statement);
        Assert.AreEqual("hrp", v.BestClassical);
        Assert.AreEqual(1.9, v.WorstSeedSharpe);
        StringAssert.StartsWith(v.Statement, "goal MET by x");
    }

    [TestMethod]
    [DataRow(1.6, 1.8, 1.5, 1.0, 0.97, "over 1/N (1.500) (✗)", DisplayName = "only 1/N too close: +0.100 over 1/N, +0.600 over hrp")]
    [DataRow(1.6, 1.8, 1.0, 1.5, 0.97, "hrp (1.500) (✗)", DisplayName = "only the best classical too close: +0.600 over 1/N, +0.100 over hrp")]
    [DataRow(2.0, 1.3, 1.0, 1.2, 0.97, "over the better of the two (✗)", DisplayName = "only a seed too close: +0.100 over the better benchmark")]
    [DataRow(2.0, 1.9, 1.0, 1.2, 0.95, "trials (✗)", DisplayName = "only the DSR not above 0.95")]
    public void Judge_ExactlyOneConditionFails_NotMetAndOnlyThatConditionMarked(double sharpe, double worstSeed, double equal, double hrp, double deflated, string failing)
    {
        var v = GoalVerdict.Judge("x", sharpe, [worstSeed, 2.1], equal, Classical(("equal", equal), ("hrp", hrp)), deflated, 30);

        Assert.IsFalse(v.Met, v.Statement);
        Assert.AreEqual(1, v.Statement.Split("(✗)").Length - 1, v.Statement);
        StringAssert.Contains(v.Statement, failing);
    }

    [TestMethod]
    public void Judge_MarginsExactlyAtThresholdInDoubles_Met()
    {
        // 1.69 − 1.49 is 0.19999999999999996 in doubles: exactly the required +0.2 as written, so the goal is met.
        Assert.IsLessThan(GoalVerdict.RequiredMargin, 1.69 - 1.49);
        var v = GoalVerdict.Judge("x", 1.69, [1.69], 1.49, Classical(("equal", 1.49), ("hrp", 1.0)), 0.97, 30);

        Assert.IsTrue(v.Met, v.Statement);
        StringAssert.Contains(v.Statement, "+0.200 over 1/N (1.490) (✓)");
        StringAssert.Contains(v.Statement, "+0.200 over the better of the two (✓)");
    }

    [TestMethod]
    public void Judge_BestClassicalTooClose_NotMetAndNamesIt()
    {
        var v = GoalVerdict.Judge("x", 2.0, [2.0], 1.5, Classical(("equal", 1.5), ("inverse-vol", 1.85)), 0.99, 10);

        Assert.IsFalse(v.Met);
        StringAssert.Contains(v.Statement, "+0.150 over the best classical allocator, inverse-vol (1.850) (✗)");
    }

    [TestMethod]
    public void Judge_NoClassicalAllocator_NotMet()
    {
        var v = GoalVerdict.Judge("x", 3.0, [3.0], 1.0, [], 0.99, 10);

        Assert.IsFalse(v.Met);
        Assert.AreEqual("none", v.BestClassical);
    }

    private static List<ClassicalOutcome> Classical(params (string Name, double Sharpe)[] allocators) =>
        [.. allocators.Select(a => new ClassicalOutcome(a.Name, new SeedOutcome(0, [], Metrics(a.Sharpe)), 0))];

    private static PerformanceMetrics Metrics(double sharpe)
    {
        // Real metrics of a short series, with the Sharpe ratio the case needs (the verdict reads nothing else).
        var equity = new double[] { 1, 1.01, 0.995, 1.02, 1.0, 1.03 };
        var m = PerformanceMetrics.FromSeries(equity, new double[equity.Length - 1], 365, 0, 0, 0, 0, 0, 0);
        return m with { Sharpe = sharpe };
    }
}
