using System.Globalization;

namespace Predictive.Core.Rebalancing.Policies;

/// <summary>Small helpers the policies share.</summary>
internal static class PolicyMath
{
    /// <summary>Below this L1 drift a portfolio counts as on target (weights are doubles; this is rounding noise).</summary>
    public const double OnTargetL1 = 1e-9;

    /// <summary>w* + α(w − w*): the point a fraction α of the way from the target back to the current weights.</summary>
    public static double[] Between(ReadOnlySpan<double> target, ReadOnlySpan<double> current, double alpha)
    {
        var r = new double[target.Length];
        Between(target, current, alpha, r);
        return r;
    }

    /// <summary><see cref="Between(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/> into <paramref name="into"/>.</summary>
    public static void Between(ReadOnlySpan<double> target, ReadOnlySpan<double> current, double alpha, Span<double> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = target[i] + (alpha * (current[i] - target[i]));
        }
    }

    public static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The opening the calendar, band and full policies share: validates the context, measures the drift and settles
    /// the bar when the portfolio is already on target; null when the policy has to decide.
    /// </summary>
    public static RebalanceDecision? SettleOnTarget(RebalanceEconomics economics, RebalanceContext context, string policy, out DriftMeasure drift)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Validate();
        drift = DriftMeasure.Of(context.Assets, context.CurrentWeights, context.TargetWeights, context.Risk);
        return drift.L1 <= OnTargetL1 ? OnTarget(economics, context, policy, drift) : null;
    }

    public static RebalanceDecision OnTarget(RebalanceEconomics economics, RebalanceContext context, string policy, DriftMeasure drift) =>
        economics.Decide(context, policy, false, DecisionReason.AlreadyOnTarget, context.CurrentWeights, drift, Say($"already on target (L1 drift {drift.L1:E1})."));
}
