using Predictive.Operator.Lifecycle;
using Predictive.Operator.Storage;
using Predictive.Research.Statistics;

namespace Predictive.Operator.Tests.Lifecycle;

[TestClass]
public sealed class PromotionRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void Deflated_MoreTrialsInLedger_LowerThanAlone()
    {
        var trial = new TrialRecord("c/3", "operator", "w", 0.08, 180, 0.1, 3.5, At);
        var alone = ChampionChallenger.Deflated(trial, [trial]);
        TrialRecord[] ledger = [new("c/1", "operator", "w", 0.01, 180, 0, 3, At), new("c/2", "operator", "w", 0.05, 180, 0, 3, At), trial];
        var withLedger = ChampionChallenger.Deflated(trial, ledger);

        // Independently: with one trial SR0 = 0, so DSR = PSR(0); with three, SR0 from the sample variance of their Sharpes.
        Assert.AreEqual(DeflatedSharpe.Probabilistic(0.08, 0, 180, 0.1, 3.5), alone, 1e-12);
        var mean = (0.01 + 0.05 + 0.08) / 3;
        var variance = (Math.Pow(0.01 - mean, 2) + Math.Pow(0.05 - mean, 2) + Math.Pow(0.08 - mean, 2)) / 2;
        Assert.AreEqual(DeflatedSharpe.Probabilistic(0.08, DeflatedSharpe.ExpectedMaximum(3, variance), 180, 0.1, 3.5), withLedger, 1e-12);
        Assert.IsTrue(withLedger < alone);
    }

    [TestMethod]
    public void Passes_IntervalTouchingZero_NotPromoted()
    {
        Assert.IsFalse(Evaluation.Passes(0.0, 0.99, 0.95));
        Assert.IsFalse(Evaluation.Passes(0.2, 0.95, 0.95), "the deflated Sharpe must be above the level, not equal to it");
        Assert.IsTrue(Evaluation.Passes(0.2, 0.951, 0.95));
    }

    [TestMethod]
    public void SharpeDifferenceInterval_IdenticalSeries_ExactlyZero()
    {
        var returns = Enumerable.Range(0, 200).Select(k => Math.Sin(k * 0.7) * 0.01 + 0.001).ToArray();
        var (low, high) = new StationaryBootstrap(5, 500, 7).SharpeDifferenceInterval(returns, returns, 365);
        Assert.AreEqual(0, low);
        Assert.AreEqual(0, high);
    }

    [TestMethod]
    public void SharpeDifferenceInterval_ShiftedUpSeries_IntervalAboveZero()
    {
        var random = new Random(11);
        var b = Enumerable.Range(0, 400).Select(_ => (random.NextDouble() - 0.5) * 0.04).ToArray();
        var a = b.Select(x => x + 0.01).ToArray();
        var (low, high) = new StationaryBootstrap(7, 500, 3).SharpeDifferenceInterval(a, b, 365);

        // a is b plus a constant 1 %: same volatility, higher mean, on every resample; so every difference is positive.
        Assert.IsTrue(low > 0, $"[{low}, {high}]");
        var observed = (ReturnStatistics.Sharpe(a) - ReturnStatistics.Sharpe(b)) * Math.Sqrt(365);
        Assert.IsTrue(low <= observed && observed <= high, $"observed {observed} outside [{low}, {high}]");
    }
}
