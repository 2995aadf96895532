using System.Numerics;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>One swap sent (or simulated) through the vault, with its on-chain facts.</summary>
/// <param name="IntentId">The transaction intent's id in the keeper's journal.</param>
/// <param name="Order">The order as asked (token units).</param>
/// <param name="Status">Filled or reverted.</param>
/// <param name="AmountInRaw">Base units sold (from the vault's Swapped event; the call's input in a dry run; 0 when reverted).</param>
/// <param name="AmountOutRaw">Base units bought (from the Swapped event; the call's return value in a dry run; 0 when reverted).</param>
/// <param name="MinAmountOutRaw">The minimum output sent with the swap, in base units.</param>
/// <param name="TransactionHash">The mined transaction; null in a dry run or when nothing was mined.</param>
/// <param name="GasUsed">Gas used by the mined transaction, or eth_estimateGas in a dry run.</param>
/// <param name="EffectiveGasPriceWei">The price per gas actually paid; null when nothing was mined.</param>
/// <param name="FailureReason">Why it reverted or was not sent; null when filled.</param>
/// <param name="DryRun">Whether it was only simulated.</param>
/// <param name="Resumed">Whether the swap was found in the journal (sent by an earlier, interrupted run) rather than sent now.</param>
public sealed record OnChainSwapReport(
    string IntentId,
    SwapOrder Order,
    FillStatus Status,
    BigInteger AmountInRaw,
    BigInteger AmountOutRaw,
    BigInteger MinAmountOutRaw,
    string? TransactionHash,
    long GasUsed,
    BigInteger? EffectiveGasPriceWei,
    string? FailureReason,
    bool DryRun,
    bool Resumed);
