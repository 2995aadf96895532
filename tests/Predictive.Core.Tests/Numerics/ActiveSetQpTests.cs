using CsCheck;
using Predictive.Core.Numerics;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.Numerics;

/// <summary>The active-set QP against closed forms, the projected-gradient reference and the KKT conditions.</summary>
[TestClass]
public sealed class ActiveSetQpTests
{
    private sealed record Case(double[] Q, double[] C, double[] Caps);

    /// <summary>Capped-simplex programs shaped like min-variance and mean-variance on daily crypto risk, stablecoins included.</summary>
    private static readonly Gen<Case> CappedSimplexCases =
        from n in Gen.Int[1, 21]
        from factors in Gen.Int[1, 3]
        from stable in Gen.Int[0, 2]
        from seed in Gen.Int[0, int.MaxValue]
        from withReturns in Gen.Bool
        from mu in Gen.Double[-0.002, 0.004].Array[n]
        from cap in Gen.Double[0.05, 1.0]
        let caps = Enumerable.Repeat(Math.Max(cap, 1.0 / n), n).ToArray()
        select new Case(Some.CryptoCovariance(n, factors, Math.Min(stable, n - 1), seed), withReturns ? mu : new double[n], caps);

    [TestMethod]
    public void TrySolve_HalfSpaceProjection_MatchesClosedForm()
    {
        // min ½‖x‖² − (1, 1)·x s.t. x + 2y ≤ 1: the projection of (1, 1) onto the half-space, (1, 1) − (2/5)(1, 2).
        var problem = new QuadraticProgram([1, 0, 0, 1], [1, 1], [0, 0], [double.PositiveInfinity, double.PositiveInfinity])
        {
            InequalityRows = [1, 2],
            InequalityRhs = [1],
        };

        Assert.IsTrue(ActiveSetQp.TrySolve(problem, [0, 0], out var x, out var failure), failure);

        Assert.AreEqual(0.6, x[0], 1e-14);
        Assert.AreEqual(0.2, x[1], 1e-14);
    }

    [TestMethod]
    public void TrySolve_InfeasibleStart_ThrowsNamingTheConstraint()
    {
        var problem = new QuadraticProgram([1, 0, 0, 1], [0, 0], [0, 0], [1, 1]) { EqualityRows = [1, 1], EqualityRhs = [1] };

        var ex = Assert.ThrowsExactly<ArgumentException>(() => ActiveSetQp.TrySolve(problem, [0.2, 0.2], out _, out _));

        Assert.Contains("equality 0 is off by -0.6", ex.Message);
    }

    [TestMethod]
    public void TrySolve_MalformedProgram_ThrowsNamingTheArray()
    {
        var problem = new QuadraticProgram([1, 0, 0], [0, 0], [0, 0], [1, 1]);

        var ex = Assert.ThrowsExactly<ArgumentException>(() => ActiveSetQp.TrySolve(problem, [0.5, 0.5], out _, out _));

        Assert.Contains("Q is malformed: has 3 entries; 2 variables need 4", ex.Message);
    }

    [TestMethod]
    public void TrySolve_SingularQ_ReportsSingularKkt()
    {
        // A linear program with a tie: Q = 0 makes the KKT system singular on the free variables.
        var problem = new QuadraticProgram([0, 0, 0, 0], [1, 1], [0, 0], [1, 1]) { EqualityRows = [1, 1], EqualityRhs = [1] };

        Assert.IsFalse(ActiveSetQp.TrySolve(problem, [0.5, 0.5], out _, out var failure));

        Assert.Contains("singular", failure);
    }

    [TestMethod]
    public void Solve_SingularQ_FallsBackToProjectedGradient()
    {
        double[] q = [0, 0, 0, 0];
        double[] c = [1, 2];

        var w = CappedSimplexQp.Solve(q, c, [1, 1]);

        Assert.AreEqual(0.0, w[0], 1e-12);
        Assert.AreEqual(1.0, w[1], 1e-12);
    }

    [TestMethod]
    public void Solve_RandomCappedSimplex_MatchesProjectedGradientReference()
    {
        CappedSimplexCases.Sample(k =>
        {
            var w = CappedSimplexQp.Solve(k.Q, k.C, k.Caps);
            var reference = CappedSimplexQp.SolveIterative(k.Q, k.C, k.Caps);

            for (var i = 0; i < w.Length; i++)
            {
                Assert.AreEqual(reference[i], w[i], 1e-6, $"weight {i}");
            }

            Assert.IsLessThanOrEqualTo(Objective(k, reference) + (1e-12 * Math.Abs(Objective(k, reference))) + 1e-18, Objective(k, w), "never worse than the reference");
        }, iter: 300, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void Solve_RandomCappedSimplex_SatisfiesKktConditions()
    {
        CappedSimplexCases.Sample(k =>
        {
            var w = CappedSimplexQp.Solve(k.Q, k.C, k.Caps);
            var qw = new double[w.Length];
            DenseMatrix.Multiply(k.Q, w, qw);
            var descent = k.C.Select((c, i) => c - qw[i]).ToArray();
            var scale = k.C.Max(Math.Abs) + qw.Max(Math.Abs);

            Assert.AreEqual(1.0, w.Sum(), 1e-12);
            SimplexKkt.AssertStationary(descent, w, k.Caps, 1e-9 * scale);
        }, iter: 5_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    private static double Objective(Case k, double[] w) => (0.5 * DenseMatrix.QuadraticForm(k.Q, w)) - DenseMatrix.Dot(k.C, w);
}
