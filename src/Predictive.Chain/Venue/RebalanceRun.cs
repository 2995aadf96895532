using System.Text.Json;
using Predictive.Chain.Transactions;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Planning;

namespace Predictive.Chain.Venue;

/// <summary>A policy decision reduced to what a report and a resumed run need.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Trade">Whether it traded.</param>
/// <param name="Reason">The reason in one word (<see cref="DecisionReason"/>).</param>
/// <param name="Explanation">The reason in a sentence, with numbers.</param>
/// <param name="DriftL1">L1 drift of the current weights from the target.</param>
/// <param name="DriftMaxAbs">Largest absolute drift of one asset.</param>
/// <param name="DriftMaxAsset">The asset with the largest drift.</param>
/// <param name="EstimatedCostQuote">Estimated fee + impact + gas of the move, in quote units.</param>
/// <param name="TargetWeights">The allocator's target by symbol.</param>
/// <param name="CandidateWeights">The weights the policy planned for, by symbol.</param>
public sealed record DecisionSummary(
    string Policy, bool Trade, string Reason, string Explanation, double DriftL1, double DriftMaxAbs, string? DriftMaxAsset,
    decimal EstimatedCostQuote, IReadOnlyDictionary<string, double> TargetWeights, IReadOnlyDictionary<string, double> CandidateWeights)
{
    /// <summary>The summary of <paramref name="decision"/>.</summary>
    public static DecisionSummary Of(RebalanceDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new DecisionSummary(
            decision.Policy, decision.Trade, decision.Reason.ToString(), decision.Explanation, decision.Drift.L1, decision.Drift.MaxAbs, decision.Drift.MaxAsset,
            decision.EstimatedCost.TotalQuote, ByAsset(decision.Assets, decision.TargetWeights), ByAsset(decision.Assets, decision.CandidateWeights));
    }

    internal static Dictionary<string, double> ByAsset(IReadOnlyList<string> assets, double[] weights) =>
        assets.Select((a, i) => (a, weights[i])).ToDictionary(x => x.a, x => x.Item2, StringComparer.Ordinal);
}

/// <summary>One order of a persisted plan (token units).</summary>
/// <param name="AssetIn">Sold.</param>
/// <param name="AssetOut">Bought.</param>
/// <param name="AmountIn">Input.</param>
/// <param name="MinAmountOut">The planner's minimum output; 0 for a later slice of a pool, which is re-quoted when sent.</param>
public sealed record PlannedOrder(string AssetIn, string AssetOut, decimal AmountIn, decimal MinAmountOut);

/// <summary>
/// A rebalance in progress, saved before its first swap is sent: the decision slot, the decision and the planned orders.
/// Swap i is leg i of the slot (<see cref="SwapIntentIds"/>), so after an interruption the same run continues from the
/// journal and a swap that was already journaled is resumed, never sent a second time.
/// </summary>
/// <param name="RunId">The run's label in reports (not part of any intent id).</param>
/// <param name="Slot">The decision slot the orders belong to.</param>
/// <param name="StartedAt">When it was planned.</param>
/// <param name="Decision">The policy's decision.</param>
/// <param name="Orders">The orders, in execution order (sells first).</param>
public sealed record RebalanceRun(string RunId, string Slot, DateTimeOffset StartedAt, DecisionSummary Decision, IReadOnlyList<PlannedOrder> Orders)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The orders of <paramref name="plan"/>; a later slice through an already used pool gets no planned minimum (it is re-quoted).</summary>
    public static IReadOnlyList<PlannedOrder> OrdersOf(TradePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var used = new HashSet<string>(StringComparer.Ordinal);
        return [.. plan.Swaps.Select(s => new PlannedOrder(s.Order.AssetIn, s.Order.AssetOut, s.Order.AmountIn, used.Add(s.PoolId) ? s.Order.MinAmountOut : 0))];
    }

    /// <summary>The unfinished run saved at <paramref name="path"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The file is not a run.</exception>
    public static RebalanceRun? Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RebalanceRun>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"Rebalance run file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Rebalance run file '{path}' is not a rebalance run: {e.Message}", e);
        }
    }

    /// <summary>Saves the run atomically (temporary file, fsync, rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
