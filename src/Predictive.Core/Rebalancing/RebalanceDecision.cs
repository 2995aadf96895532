using Predictive.Core.Rebalancing.Guards;

namespace Predictive.Core.Rebalancing;

/// <summary>
/// A policy's decision at one bar with its reasons: drift, the candidate move, its estimated cost and benefit,
/// and every guard's result, so a user can see why it did or did not trade.
/// </summary>
public sealed record RebalanceDecision
{
    /// <summary>The policy's name.</summary>
    public required string Policy { get; init; }

    /// <summary>The bar index.</summary>
    public required int Bar { get; init; }

    /// <summary>The decision time.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Whether to trade now.</summary>
    public required bool Trade { get; init; }

    /// <summary>The reason in one word.</summary>
    public required DecisionReason Reason { get; init; }

    /// <summary>The reason in a sentence, with the numbers.</summary>
    public required string Explanation { get; init; }

    /// <summary>Asset symbols, in weight order.</summary>
    public required IReadOnlyList<string> Assets { get; init; }

    /// <summary>Weights held before the decision.</summary>
    public required double[] CurrentWeights { get; init; }

    /// <summary>The allocator's target.</summary>
    public required double[] TargetWeights { get; init; }

    /// <summary>The move the policy considered: the target, or a band edge between current and target.</summary>
    public required double[] CandidateWeights { get; init; }

    /// <summary>Drift of the current weights from the target.</summary>
    public required DriftMeasure Drift { get; init; }

    /// <summary>The estimated cost of moving to <see cref="CandidateWeights"/>.</summary>
    public required RebalanceCost EstimatedCost { get; init; }

    /// <summary>The estimated money benefit of that move (tracking-error reduction); 0 without a risk model.</summary>
    public required decimal EstimatedBenefitQuote { get; init; }

    /// <summary>Every guard's result (empty when the policy runs unguarded).</summary>
    public IReadOnlyList<GuardResult> Guards { get; init; } = [];

    /// <summary>The weights to plan for: <see cref="CandidateWeights"/> when trading, else <see cref="CurrentWeights"/>.</summary>
    public double[] NewWeights => Trade ? CandidateWeights : CurrentWeights;

    /// <summary>Benefit − cost of the candidate move.</summary>
    public decimal NetBenefitQuote => EstimatedBenefitQuote - EstimatedCost.TotalQuote;

    /// <summary>The guards that fired.</summary>
    public IEnumerable<GuardResult> FiredGuards => Guards.Where(g => g.Fired);
}
