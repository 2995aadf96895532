using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>What one swap did, in base units, before it is valued.</summary>
/// <param name="Status">Filled or reverted.</param>
/// <param name="InRaw">Base units sold.</param>
/// <param name="OutRaw">Base units bought.</param>
/// <param name="MinOutRaw">The minimum output sent with the swap.</param>
/// <param name="Receipt">The mined transaction's receipt, if any.</param>
/// <param name="Hash">The mined transaction's hash, if any.</param>
/// <param name="Reason">Why it reverted, if it did.</param>
/// <param name="Resumed">Whether it was finished from the journal.</param>
/// <param name="EstimatedGas">eth_estimateGas in a dry run.</param>
internal sealed record SwapOutcome(
    FillStatus Status, BigInteger InRaw, BigInteger OutRaw, BigInteger MinOutRaw, TransactionReceipt? Receipt = null, string? Hash = null,
    string? Reason = null, bool Resumed = false, long? EstimatedGas = null);

/// <summary>Reporting of the on-chain venue: each swap becomes Core's <see cref="SwapFill"/> (valued by <see cref="VenueCosts"/>) and an <see cref="OnChainSwapReport"/>.</summary>
internal sealed class VenueReporter(ChainMarket market, VenueCosts costs, bool dryRun, TimeProvider time)
{
    private readonly List<OnChainSwapReport> _reports = [];

    /// <summary>Every swap recorded, in order.</summary>
    public IReadOnlyList<OnChainSwapReport> Reports => _reports;

    /// <summary>Records <paramref name="outcome"/> of <paramref name="order"/> (intent <paramref name="intentId"/>) priced in <paramref name="pool"/> with <paramref name="gas"/>.</summary>
    public SwapFill Record(SwapOrder order, string intentId, PoolState pool, GasQuote gas, SwapOutcome outcome)
    {
        var tokenIn = market.Token(order.AssetIn);
        var tokenOut = market.Token(order.AssetOut);
        var amountIn = TokenAmounts.ToUnits(outcome.InRaw, tokenIn.Decimals);
        var amountOut = TokenAmounts.ToUnits(outcome.OutRaw, tokenOut.Decimals);
        var receipt = outcome.Receipt;
        var gasUsed = receipt is null ? outcome.EstimatedGas ?? 0 : (long)receipt.GasUsed.Value;
        var price = receipt?.EffectiveGasPrice?.Value;
        var gasNative = price is { } wei ? TokenAmounts.ToUnits(receipt!.GasUsed.Value * wei, 18) : gas.CostNative(gasUsed);
        var cost = costs.Cost(pool, market.Quote.Symbol, order.AssetIn, order.AssetOut, amountIn, amountOut, gas, gasUsed);
        _reports.Add(new OnChainSwapReport(
            intentId, order, outcome.Status, outcome.InRaw, outcome.OutRaw, outcome.MinOutRaw, outcome.Hash, gasUsed, price, outcome.Reason, dryRun, outcome.Resumed));
        var filled = outcome.Status == FillStatus.Filled;
        return new SwapFill(
            order, pool.Id, time.GetUtcNow(), outcome.Status, amountIn, amountOut, filled ? cost.FeeQuote : 0, filled ? cost.ImpactQuote : 0,
            cost.PriceImpactBps, gasUsed, gasNative, gasNative * (decimal)gas.NativeTokenPriceQuote);
    }
}
