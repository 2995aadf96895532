namespace Predictive.Core.Rebalancing;

/// <summary>
/// The cost and benefit side of every decision: a trade cost estimator (normally the <c>TradePlanner</c>, so the
/// estimate is the cost of the plan that would run) and the tracking-error benefit model.
/// </summary>
public sealed class RebalanceEconomics
{
    /// <summary>Creates the pair.</summary>
    /// <exception cref="ArgumentException">The benefit options are invalid.</exception>
    public RebalanceEconomics(ITradeCostEstimator costs, TrackingErrorBenefit? benefit = null)
    {
        ArgumentNullException.ThrowIfNull(costs);
        Costs = costs;
        Benefit = benefit ?? TrackingErrorBenefit.Default;
        Benefit.Validate();
    }

    /// <summary>The cost estimator.</summary>
    public ITradeCostEstimator Costs { get; }

    /// <summary>The benefit model.</summary>
    public TrackingErrorBenefit Benefit { get; }

    /// <summary>Cost and benefit of moving from the context's current weights to <paramref name="candidate"/>.</summary>
    public (RebalanceCost Cost, decimal BenefitQuote) Evaluate(RebalanceContext context, ReadOnlySpan<double> candidate)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cost = Costs.EstimateCost(context.Market, context.Assets, context.CurrentWeights, candidate, context.PortfolioValueQuote);
        // A move the planner would not carry out (every leg below the minimum trade) gains nothing.
        var benefit = context.Risk is null || cost.SwapCount == 0
            ? 0m
            : Benefit.Benefit(context.Risk, context.CurrentWeights, candidate, context.TargetWeights, context.PortfolioValueQuote);
        return (cost, benefit);
    }

    /// <summary>A decision for the context with cost and benefit filled in for <paramref name="candidate"/>.</summary>
    public RebalanceDecision Decide(RebalanceContext context, string policy, bool trade, DecisionReason reason, double[] candidate, DriftMeasure drift, string explanation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (cost, benefit) = Evaluate(context, candidate);
        return new RebalanceDecision
        {
            Policy = policy,
            Bar = context.Bar,
            Time = context.Time,
            Trade = trade,
            Reason = reason,
            Explanation = explanation,
            Assets = context.Assets,
            CurrentWeights = context.CurrentWeights,
            TargetWeights = context.TargetWeights,
            CandidateWeights = candidate,
            Drift = drift,
            EstimatedCost = cost,
            EstimatedBenefitQuote = benefit,
        };
    }
}
