using System.Text.Json.Serialization;

namespace Predictive.Keeper.Store;

/// <summary>
/// One keeper pass over one vault, as the decision log keeps it: what it saw (model, targets, weights, oracle, gas),
/// what it decided and why (every guard's result), and what it did (swaps planned and sent, hashes, gas, costs).
/// </summary>
public sealed record DecisionRecord
{
    /// <summary>When the pass started (the keeper's clock).</summary>
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }

    /// <summary>The vault's configured name.</summary>
    [JsonPropertyName("vault")] public required string Vault { get; init; }

    /// <summary>The vault's address.</summary>
    [JsonPropertyName("vaultAddress")] public required string VaultAddress { get; init; }

    /// <summary>The decision slot (the interval bucket of the chain head's time).</summary>
    [JsonPropertyName("slot")] public string? Slot { get; init; }

    /// <summary>The chain head the pass decided at.</summary>
    [JsonPropertyName("block")] public long? Block { get; init; }

    /// <summary>The chain head's time.</summary>
    [JsonPropertyName("chainTime")] public DateTimeOffset? ChainTime { get; init; }

    /// <summary>Shadow mode: nothing was sent.</summary>
    [JsonPropertyName("dryRun")] public bool DryRun { get; init; }

    /// <summary>trade, no-trade, refused or error.</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }

    /// <summary>The reason in one token: the policy's reason, or the refusal's (gas-ceiling, oracle-stale, no-volume, …).</summary>
    [JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>The reason in sentences, with numbers.</summary>
    [JsonPropertyName("explanation")] public required string Explanation { get; init; }

    /// <summary>The model the service used.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The SHA-256 of the model's ONNX file, as the service named it.</summary>
    [JsonPropertyName("modelSha256")] public string? ModelSha256 { get; init; }

    /// <summary>Target weights by symbol (cash under the quote token).</summary>
    [JsonPropertyName("targets")] public IReadOnlyDictionary<string, double>? Targets { get; init; }

    /// <summary>The vault's weights before the pass, at oracle prices.</summary>
    [JsonPropertyName("currentWeights")] public IReadOnlyDictionary<string, double>? CurrentWeights { get; init; }

    /// <summary>The vault's weights after the pass.</summary>
    [JsonPropertyName("weightsAfter")] public IReadOnlyDictionary<string, double>? WeightsAfter { get; init; }

    /// <summary>Oracle prices (quote units) the guards used.</summary>
    [JsonPropertyName("oraclePrices")] public IReadOnlyDictionary<string, decimal>? OraclePrices { get; init; }

    /// <summary>Every check's result: the gas gate, the oracle gate's refusals, the composition's guards.</summary>
    [JsonPropertyName("guards")] public IReadOnlyList<GuardRecord> Guards { get; init; } = [];

    /// <summary>Swaps of the pass: simulated in shadow mode, sent otherwise.</summary>
    [JsonPropertyName("swaps")] public IReadOnlyList<SwapRecord> Swaps { get; init; } = [];

    /// <summary>Slices of the plan still due on later passes.</summary>
    [JsonPropertyName("pendingSlices")] public int PendingSlices { get; init; }

    /// <summary>The base fee at the head, in gwei.</summary>
    [JsonPropertyName("baseFeeGwei")] public double? BaseFeeGwei { get; init; }

    /// <summary>Gas used by the swaps sent.</summary>
    [JsonPropertyName("gasUsed")] public long GasUsed { get; init; }

    /// <summary>The decision's estimated cost (fee + impact + gas), in quote units.</summary>
    [JsonPropertyName("estimatedCostQuote")] public decimal? EstimatedCostQuote { get; init; }

    /// <summary>The gas part of the estimated cost, in quote units.</summary>
    [JsonPropertyName("estimatedGasQuote")] public decimal? EstimatedGasQuote { get; init; }

    /// <summary>The decision's estimated benefit, in quote units.</summary>
    [JsonPropertyName("estimatedBenefitQuote")] public decimal? EstimatedBenefitQuote { get; init; }

    /// <summary>Notes: resumed runs, slices not sent, legs skipped.</summary>
    [JsonPropertyName("notes")] public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Wall time of the pass, in milliseconds.</summary>
    [JsonPropertyName("durationMs")] public double DurationMs { get; init; }

    /// <summary>From the pass's start (the tick) to its first signed swap, in milliseconds; null when nothing was signed.</summary>
    [JsonPropertyName("firstSignedMs")] public double? FirstSignedMs { get; init; }
}

/// <summary>One check's result.</summary>
/// <param name="Guard">The check (gas-ceiling, oracle, gas-net-benefit, liquidity, price-deviation, …).</param>
/// <param name="Fired">Whether it blocked trading.</param>
/// <param name="Detail">What it measured.</param>
/// <param name="Value">The measured value, when numeric.</param>
/// <param name="Limit">The limit, when numeric.</param>
public sealed record GuardRecord(
    [property: JsonPropertyName("guard")] string Guard,
    [property: JsonPropertyName("fired")] bool Fired,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("limit")] double? Limit);

/// <summary>One swap of a pass.</summary>
/// <param name="IntentId">Its slot-derived intent id.</param>
/// <param name="AssetIn">Sold.</param>
/// <param name="AssetOut">Bought.</param>
/// <param name="AmountIn">Input, token units.</param>
/// <param name="AmountOut">Output, token units (expected in shadow mode).</param>
/// <param name="Status">Simulated, Confirmed, Failed, ….</param>
/// <param name="TxHash">The transaction (null when nothing was sent).</param>
/// <param name="GasUsed">Gas used (estimated in shadow mode).</param>
/// <param name="EffectiveGasPriceWei">The price paid per gas, in wei.</param>
/// <param name="Reason">Why it failed, if it did.</param>
public sealed record SwapRecord(
    [property: JsonPropertyName("intentId")] string IntentId,
    [property: JsonPropertyName("assetIn")] string AssetIn,
    [property: JsonPropertyName("assetOut")] string AssetOut,
    [property: JsonPropertyName("amountIn")] decimal AmountIn,
    [property: JsonPropertyName("amountOut")] decimal AmountOut,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("txHash")] string? TxHash,
    [property: JsonPropertyName("gasUsed")] long GasUsed,
    [property: JsonPropertyName("effectiveGasPriceWei")] string? EffectiveGasPriceWei,
    [property: JsonPropertyName("reason")] string? Reason);
