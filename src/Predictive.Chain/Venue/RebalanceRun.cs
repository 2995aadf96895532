using System.Text.Json;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Pipeline;

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
/// <param name="MinAmountOut">The order's minimum output as sent (a due slice's from its fresh quote).</param>
public sealed record PlannedOrder(string AssetIn, string AssetOut, decimal AmountIn, decimal MinAmountOut);

/// <summary>
/// A rebalance in progress: the decision slot and the orders sent in it so far, each saved before it is sent. Order i
/// is leg i of the slot (<see cref="SwapIntentIds"/>), so after an interruption the same orders are sent again under
/// the same legs and the keeper's journal finishes the ones already sent instead of sending them a second time.
/// </summary>
/// <param name="RunId">The run's label in reports (not part of any intent id).</param>
/// <param name="Slot">The decision slot the orders belong to.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="Orders">The orders, in the order they were sent.</param>
public sealed record RebalanceRun(string RunId, string Slot, DateTimeOffset StartedAt, IReadOnlyList<PlannedOrder> Orders)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The unfinished run saved at <paramref name="path"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The file is not a run.</exception>
    public static RebalanceRun? Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Load(new FileStateDocuments(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFileName(path));
    }

    /// <summary>The unfinished run saved as <paramref name="key"/> in <paramref name="documents"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The document is not a run.</exception>
    public static RebalanceRun? Load(IStateDocuments documents, string key)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Read(key) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RebalanceRun>(text, Json)
                ?? throw new InvalidDataException($"Rebalance run '{documents.Describe(key)}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Rebalance run '{documents.Describe(key)}' is not a rebalance run: {e.Message}", e);
        }
    }

    /// <summary>Saves the run as <paramref name="key"/> in <paramref name="documents"/>, atomically and durably.</summary>
    public void Save(IStateDocuments documents, string key)
    {
        ArgumentNullException.ThrowIfNull(documents);
        documents.Write(key, JsonSerializer.Serialize(this, Json));
    }
}
