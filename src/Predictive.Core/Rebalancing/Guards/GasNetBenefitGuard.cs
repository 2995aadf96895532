using System.Globalization;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>
/// The net-benefit arm of a keeper's gas gate, for every policy: fires when the decision trades and the gas of its
/// swaps is what makes its net benefit negative, i.e. benefit − fees − impact ≥ 0 but benefit − fees − impact − gas
/// &lt; 0 (the decision's <see cref="RebalanceDecision.EstimatedCost"/> values gas at the venue's gas price). A move whose
/// fees and impact alone exceed its benefit is the policy's own choice (the band and full policies ignore cost by design)
/// and passes; without a risk model the benefit is 0 and there is nothing to weigh, so it passes too. The cost-aware
/// policy already counts gas, so with it the guard never fires on a trade the policy chose.
/// </summary>
public sealed class GasNetBenefitGuard : IDecisionGuard
{
    /// <summary>The guard's name in decisions.</summary>
    public const string GuardName = "gas-net-benefit";

    /// <inheritdoc />
    public string Name => GuardName;

    /// <summary>On due slices there is no new decision to weigh: passes, saying so.</summary>
    public GuardResult Check(RebalanceContext context) =>
        new(Name, false, "weighs new decisions only; due slices were paid for when their plan was decided.", null, double.NaN, 0);

    /// <inheritdoc />
    public GuardResult Check(RebalanceContext context, RebalanceDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var cost = decision.EstimatedCost;
        var beforeGas = decision.EstimatedBenefitQuote - cost.FeeQuote - cost.ImpactQuote;
        var net = beforeGas - cost.GasQuote;
        var fired = decision.Trade && cost.GasQuote > 0 && beforeGas >= 0 && net < 0;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"benefit {decision.EstimatedBenefitQuote:N4} − fees {cost.FeeQuote:N4} − impact {cost.ImpactQuote:N4} − gas {cost.GasQuote:N4} = net {net:N4} quote");
        detail += !decision.Trade ? "; no trade to weigh."
            : fired ? "; the gas makes the trade's net benefit negative."
            : beforeGas < 0 ? "; fees and impact alone exceed the benefit (the policy's own choice), gas does not decide it."
            : "; the gas leaves it non-negative.";
        return new GuardResult(Name, fired, detail, null, (double)net, 0);
    }
}
