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
    [DataRow(1.69, 1.9, 0.97, DisplayName = "under +0.2 over 1/N")]
    [DataRow(2.0, 1.79, 0.97, DisplayName = "a seed under +0.2 over the better benchmark")]
    [DataRow(2.0, 1.9, 0.95, DisplayName = "DSR not above 0.95")]
    public void Judge_OneConditionFails_NotMet(double sharpe, double worstSeed, double deflated)
    {
        var v = GoalVerdict.Judge("x", sharpe, [worstSeed, 2.1], 1.49, Classical(("equal", 1.49), ("hrp", 1.59)), deflated, 30);

        Assert.IsFalse(v.Met, v.Statement);
        StringAssert.Contains(v.Statement, "(✗)");
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
