namespace Predictive.Core.Tests.Numerics;

/// <summary>First-order optimality on the capped simplex {Σw = 1, 0 ≤ w ≤ cap}, checked from the gradient alone.</summary>
internal static class SimplexKkt
{
    /// <summary>
    /// Asserts that no feasible transfer of weight improves the objective to first order: with <paramref name="ascent"/>
    /// the gradient of the objective being maximized, every asset that can still grow (below its cap) has an ascent no
    /// larger than every asset that can still shrink (above 0), up to <paramref name="tolerance"/>: absolute, since at an
    /// interior optimum every component of the ascent is itself about 0.
    /// For a concave objective (or the pseudo-concave Sharpe ratio) this is global optimality.
    /// </summary>
    public static void AssertStationary(double[] ascent, double[] w, double[] caps, double tolerance)
    {
        const double edge = 1e-9;
        var canGrow = double.NegativeInfinity;
        var canShrink = double.PositiveInfinity;
        var growing = -1;
        var shrinking = -1;
        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] < caps[i] - edge && ascent[i] > canGrow)
            {
                (canGrow, growing) = (ascent[i], i);
            }

            if (w[i] > edge && ascent[i] < canShrink)
            {
                (canShrink, shrinking) = (ascent[i], i);
            }
        }

        Assert.IsLessThanOrEqualTo(canShrink + tolerance, canGrow,
            $"moving weight from asset {shrinking} (w = {(shrinking < 0 ? 0 : w[shrinking])}) to asset {growing} (w = {(growing < 0 ? 0 : w[growing])}) would improve the objective");
    }
}
