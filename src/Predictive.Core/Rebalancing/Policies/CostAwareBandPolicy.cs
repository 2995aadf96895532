using System.ComponentModel.DataAnnotations;
using System.Numerics;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing.Policies;

/// <summary>Parameters of <see cref="CostAwareBandPolicy"/>.</summary>
public sealed record CostAwareBandOptions
{
    /// <summary>How finely the line from target to current weights is searched for the band edge. The default value is 20 steps.</summary>
    [Range(1, 1_000, ErrorMessage = "GridSteps must be in [1, 1000].")]
    public int GridSteps { get; init; } = 20;

    /// <summary>The net benefit (benefit − cost) a trade must exceed, in quote units. The default value is 0.</summary>
    [Range(typeof(decimal), "0", "1000000000000", ErrorMessage = "MinNetBenefitQuote must be in [0, 1e12] quote units.")]
    public decimal MinNetBenefitQuote { get; init; }
}

/// <summary>
/// Cost-adjusted no-trade band: trade only when the expected benefit of reducing tracking error exceeds the expected
/// cost, and then only to the band's edge rather than all the way to the target.
/// </summary>
/// <remarks>
/// <para>Candidates are w(α) = w* + α(w − w*), α ∈ {0, 1/G, …, (G−1)/G}: α = 0 is the target, α → 1 is no trade.
/// For each the benefit is (λ/2)(1 − α²)·TE²·H·V (<see cref="TrackingErrorBenefit"/>) and the cost is the planner's
/// estimate of the whole move (fees, exact constant-product impact, gas per swap). The policy takes the candidate
/// with the largest net benefit and trades iff it exceeds <see cref="CostAwareBandOptions.MinNetBenefitQuote"/>.</para>
/// <para>With proportional costs c the optimum is α* = c / (2K), K = (λ/2)·TE²·H·V: marginal benefit equals
/// marginal cost, which is the edge of the no-trade region (Leland 1999). Fixed gas costs make small trades never
/// worth it and, when a trade happens, push it further inside the band (Dybvig and Pezzo 2019); both effects come out
/// of the search because gas is charged per swap in the cost.</para>
/// </remarks>
public sealed class CostAwareBandPolicy : IRebalancingPolicy
{
    private readonly RebalanceEconomics _economics;
    private readonly CostAwareBandOptions _options;

    /// <summary>Creates the policy.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public CostAwareBandPolicy(RebalanceEconomics economics, CostAwareBandOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(economics);
        _economics = economics;
        _options = options ?? new CostAwareBandOptions();
        OptionsValidation.ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public string Name => "cost-aware";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The context has no risk model.</exception>
    public RebalanceDecision Decide(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Validate();
        if (context.Risk is null)
        {
            throw new ArgumentException("The cost-aware policy needs a risk model (RebalanceContext.Risk) to value tracking error.", nameof(context));
        }

        var drift = DriftMeasure.Of(context.Assets, context.CurrentWeights, context.TargetWeights, context.Risk);
        if (drift.L1 <= PolicyMath.OnTargetL1)
        {
            return PolicyMath.OnTarget(_economics, context, Name, drift);
        }

        var evaluator = new PlannedCandidates(_economics, context, _options.GridSteps);
        var (bestStep, bestNet) = Search<decimal, PlannedCandidates>(_options.GridSteps, ref evaluator);
        var best = bestStep < 0 ? -1.0 : Alpha(bestStep, _options.GridSteps);
        var bestWeights = bestStep < 0 ? context.TargetWeights : Candidate(context.TargetWeights, context.CurrentWeights, bestStep, _options.GridSteps);
        if (best < 0)
        {
            return _economics.Decide(context, Name, false, DecisionReason.CostExceedsBenefit, context.TargetWeights, drift, PolicyMath.Say($"tracking error {drift.TrackingError:P3} per bar; no move towards the target is large enough to trade (every leg is below the minimum trade)."));
        }

        var trade = Trades(bestNet, _options.MinNetBenefitQuote);
        var where = best == 0 ? "the target" : PolicyMath.Say($"the band edge α = {best:F2} (TE {best * drift.TrackingError:P3})");
        var explanation = trade
            ? PolicyMath.Say($"tracking error {drift.TrackingError:P3} per bar; moving to {where} gains {bestNet:N2} net of costs.")
            : PolicyMath.Say($"tracking error {drift.TrackingError:P3} per bar; the best move ({where}) would net {bestNet:N2}, not above {_options.MinNetBenefitQuote:N2}.");
        return _economics.Decide(context, Name, trade, trade ? DecisionReason.BenefitExceedsCost : DecisionReason.CostExceedsBenefit, bestWeights, drift, explanation);
    }

    /// <summary>α of grid step <paramref name="step"/>: step / G (0 is the target).</summary>
    public static double Alpha(int step, int gridSteps) => (double)step / gridSteps;

    /// <summary>The candidate of grid step <paramref name="step"/>: w* + α(w − w*), the target itself at step 0.</summary>
    public static double[] Candidate(double[] target, ReadOnlySpan<double> current, int step, int gridSteps) =>
        step == 0 ? target : PolicyMath.Between(target, current, Alpha(step, gridSteps));

    /// <summary>
    /// The search every implementation of this policy runs, over any number type: the grid step with the largest net
    /// benefit among those the planner would trade (at least one swap), or (-1, min) when there is none. The first of
    /// equal nets wins.
    /// </summary>
    /// <param name="gridSteps">G.</param>
    /// <param name="evaluator">Swaps and net benefit (benefit − cost) of moving to grid step k's candidate; a struct is called without boxing or allocation.</param>
    public static (int Step, T Net) Search<T, TEvaluator>(int gridSteps, ref TEvaluator evaluator)
        where T : INumber<T>, IMinMaxValue<T>
        where TEvaluator : ICandidateEvaluator<T>
    {
        var best = -1;
        var bestNet = T.MinValue;
        for (var step = 0; step < gridSteps; step++)
        {
            var (swaps, net) = evaluator.Evaluate(step);
            // A candidate the planner would not trade (all legs below the minimum) is the same as not trading.
            if (swaps > 0 && net > bestNet)
            {
                bestNet = net;
                best = step;
            }
        }

        return (best, bestNet);
    }

    /// <summary>Each candidate as the planner prices it (the policy's own evaluation, on <c>decimal</c>).</summary>
    private readonly struct PlannedCandidates(RebalanceEconomics economics, RebalanceContext context, int gridSteps) : ICandidateEvaluator<decimal>
    {
        public (int Swaps, decimal Net) Evaluate(int gridStep)
        {
            var (cost, benefit) = economics.Evaluate(context, Candidate(context.TargetWeights, context.CurrentWeights, gridStep, gridSteps));
            return (cost.SwapCount, benefit - cost.TotalQuote);
        }
    }

    /// <summary>Whether the best net benefit is worth a trade: strictly above the minimum.</summary>
    public static bool Trades<T>(T bestNet, decimal minNetBenefitQuote)
        where T : INumber<T> => bestNet > T.CreateChecked(minNetBenefitQuote);
}

/// <summary>Prices the candidates of <see cref="CostAwareBandPolicy.Search{T, TEvaluator}"/>.</summary>
/// <typeparam name="T">The number type.</typeparam>
public interface ICandidateEvaluator<T>
{
    /// <summary>Swaps and net benefit (benefit − cost) of moving to grid step <paramref name="gridStep"/>'s candidate.</summary>
    (int Swaps, T Net) Evaluate(int gridStep);
}
