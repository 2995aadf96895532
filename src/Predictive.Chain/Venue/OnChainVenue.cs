using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;
using SwapQuote = Predictive.Core.Venues.SwapQuote;

namespace Predictive.Chain.Venue;

/// <summary>
/// The production <see cref="IVenue"/>: Uniswap V2 pools traded through a <c>PredictiveVault</c> by its keeper.
/// Reads pool reserves and vault balances with eth_call; executes each swap as one journaled keeper transaction
/// (<see cref="TransactionManager"/>) with a minimum output from the fresh pool quote and the slippage tolerance and a
/// chain-time deadline; waits for the receipt and reports the Swapped event's amounts and the gas actually used.
/// In <see cref="OnChainVenueOptions.DryRun"/> mode only eth_call and eth_estimateGas are used.
/// </summary>
/// <remarks>Amounts cross the boundary with <see cref="TokenAmounts"/>: inputs round down, minimum outputs round up.</remarks>
public sealed class OnChainVenue : IVenue
{
    private readonly EvmRpcClient _client;
    private readonly ChainMarket _market;
    private readonly OnChainVenueOptions _options;
    private readonly SwapCostModel _costs;
    private readonly EthAddress _keeper;
    private readonly TransactionManager? _sender;
    private readonly TimeProvider _time;
    private readonly Dictionary<EthAddress, EthAddress> _token0 = [];
    private readonly List<OnChainSwapReport> _reports = [];
    private string? _slot;
    private int _nextLeg;

    /// <summary>Creates the venue.</summary>
    /// <param name="client">The node.</param>
    /// <param name="market">Vault, router, quote token and asset pools.</param>
    /// <param name="options">Slippage, deadline, gas valuation, dry run.</param>
    /// <param name="keeper">The vault's keeper account (the sender of swaps, and the caller in dry runs).</param>
    /// <param name="sender">The keeper's transaction manager; may be null only in a dry run.</param>
    /// <param name="timeProvider">The clock for snapshot times.</param>
    /// <exception cref="ArgumentException">The market or options are invalid, or there is no sender outside a dry run.</exception>
    public OnChainVenue(
        EvmRpcClient client, ChainMarket market, OnChainVenueOptions options, EthAddress keeper, TransactionManager? sender,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keeper);
        market.Validate();
        options.Validate();
        if (sender is null && !options.DryRun)
        {
            throw new ArgumentException("The on-chain venue needs the keeper's transaction manager unless it runs dry.", nameof(sender));
        }

        if (sender is not null && sender.Account != keeper)
        {
            throw new ArgumentException($"The transaction manager sends from {sender.Account}, not the keeper {keeper}.", nameof(sender));
        }

        _client = client;
        _market = market;
        _options = options;
        _costs = new SwapCostModel(options.Costs);
        _keeper = keeper;
        _sender = sender;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string QuoteAsset => _market.Quote.Symbol;

    /// <summary>The vault, router and tokens.</summary>
    public ChainMarket Market => _market;

    /// <summary>Whether swaps are only simulated.</summary>
    public bool DryRun => _options.DryRun;

    /// <summary>Every swap executed through this instance, in order.</summary>
    public IReadOnlyList<OnChainSwapReport> Reports => _reports;

    /// <inheritdoc />
    public async Task<VenueSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var pools = new List<PoolState>(_market.Assets.Count);
        var prices = new Dictionary<string, double>(StringComparer.Ordinal) { [QuoteAsset] = 1.0 };
        foreach (var asset in _market.Assets)
        {
            var pool = await PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
            pools.Add(pool);
            prices[asset.Symbol] = pool.MidPrice(asset.Symbol);
        }

        var gas = await GasAsync(cancellationToken).ConfigureAwait(false);
        return new VenueSnapshot(_time.GetUtcNow(), QuoteAsset, pools, prices, gas);
    }

    /// <summary>The vault's balances as token units (every asset and the quote token).</summary>
    public async Task<Holdings> GetHoldingsAsync(CancellationToken cancellationToken = default)
    {
        var quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var token in _market.Assets.Select(a => a.Token).Append(_market.Quote))
        {
            quantities[token.Symbol] = TokenAmounts.ToUnits(await BalanceAsync(token, cancellationToken).ConfigureAwait(false), token.Decimals);
        }

        return new Holdings(quantities);
    }

    /// <inheritdoc />
    public async Task<SwapQuote> QuoteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        var (asset, tokenIn, tokenOut, amountInRaw) = Resolve(order);
        var pool = await PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
        var expectedRaw = await AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
        var snapshotGas = await GasAsync(cancellationToken).ConfigureAwait(false);
        var amountOut = TokenAmounts.ToUnits(expectedRaw, tokenOut.Decimals);
        var cost = Cost(pool, order.AssetIn, order.AssetOut, order.AmountIn, amountOut, snapshotGas, _costs.Options.GasUnitsPerSwap);
        return new SwapQuote(order, pool.Id, _time.GetUtcNow(), cost with { MinAmountOut = TokenAmounts.ToUnits(MinimumOut(expectedRaw), tokenOut.Decimals) });
    }

    /// <summary>
    /// Starts decision slot <paramref name="slot"/> (the bar or interval the next orders belong to): the orders
    /// <see cref="ExecuteAsync(SwapOrder, CancellationToken)"/> receives next are its legs 0, 1, … in call order.
    /// </summary>
    /// <exception cref="ArgumentException">The slot is empty or holds ':' or whitespace.</exception>
    public void BeginSlot(string slot)
    {
        SwapIntentIds.CheckSlot(slot);
        _slot = slot;
        _nextLeg = 0;
    }

    /// <inheritdoc />
    /// <remarks>The order is the next leg of the slot given to <see cref="BeginSlot"/> (see <see cref="SwapIntentIds"/>).</remarks>
    /// <exception cref="InvalidOperationException">No slot was begun.</exception>
    public Task<SwapFill> ExecuteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        var slot = _slot ?? throw new InvalidOperationException("The on-chain venue has no decision slot: call BeginSlot with the bar or interval the orders belong to first.");
        return ExecuteAsync(order, slot, _nextLeg++, cancellationToken);
    }

    /// <summary>
    /// Executes <paramref name="order"/> as leg <paramref name="leg"/> of decision slot <paramref name="slot"/>, under the
    /// intent id <see cref="SwapIntentIds.For"/> gives. When the keeper's journal already holds that intent (this slot
    /// decided before, by this or another process), its journaled transaction is resumed — never a second one — after
    /// checking that the journaled call trades the order's pair and at most its amount.
    /// </summary>
    /// <exception cref="VenueException">
    /// The order is invalid or names an unknown token; or the journal holds a different order for this slot and leg, or a
    /// journaled call that does not match the order (nothing is sent).
    /// </exception>
    /// <exception cref="RpcException">The node stopped answering; the intent stays open in the journal.</exception>
    public async Task<SwapFill> ExecuteAsync(SwapOrder order, string slot, int leg, CancellationToken cancellationToken = default)
    {
        var (asset, tokenIn, tokenOut, amountInRaw) = Resolve(order);
        var orderedMinOut = TokenAmounts.ToRaw(order.MinAmountOut, tokenOut.Decimals, UnitRounding.Up);
        var intentId = SwapIntentIds.For(_market.Vault, slot, leg, tokenIn.Address, tokenOut.Address, amountInRaw, orderedMinOut);
        var pool = await PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
        var gas = await GasAsync(cancellationToken).ConfigureAwait(false);
        if (_options.DryRun)
        {
            return await SimulateAsync(order, intentId, pool, gas, tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
        }

        var journaled = JournaledLeg(_sender!.Journal, intentId, SwapIntentIds.LegPrefix(_market.Vault, slot, leg));
        TransactionIntent intent;
        BigInteger minOut;
        if (journaled is not null)
        {
            intent = journaled.Intent;
            minOut = CheckJournaledCall(intent, tokenIn, tokenOut, amountInRaw);
        }
        else
        {
            // Never more than the vault holds (rounding or an earlier partial fill can leave it a unit short).
            amountInRaw = BigInteger.Min(amountInRaw, await BalanceAsync(tokenIn, cancellationToken).ConfigureAwait(false));
            if (amountInRaw.IsZero)
            {
                return Record(order, intentId, pool, gas, FillStatus.Reverted, 0, 0, 0, null, null, $"the vault holds no {tokenIn.Symbol}; not sent", resumed: false);
            }

            var fresh = await AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
            minOut = BigInteger.Max(orderedMinOut, MinimumOut(fresh));
            var deadline = await ChainCalls.DeadlineAsync(_client, _options.Deadline, cancellationToken).ConfigureAwait(false);
            intent = VaultKeeper.SwapIntent(intentId, _market.Vault, _market.Router, tokenIn.Address, tokenOut.Address, amountInRaw, minOut, deadline);
        }

        var result = await _sender.ExecuteAsync(intent, cancellationToken).ConfigureAwait(false);
        var receipt = result.Receipt;
        if (!result.Succeeded)
        {
            var reason = result.Revert?.Message ?? result.Entry.FailureReason ?? "failed";
            return Record(order, intentId, pool, gas, FillStatus.Reverted, 0, 0, minOut, receipt, result.Entry.MinedHash, reason, journaled is not null);
        }

        var log = receipt!.Logs.FirstOrDefault(l => l.Address == _market.Vault && l.Topics.Count > 0 && l.Topics[0].AsSpan().SequenceEqual(VaultAbi.Swapped.Topic0))
            ?? throw new VenueException($"Swap {intentId} ({receipt.TransactionHash}) was mined without the vault's Swapped event.");
        var swapped = VaultAbi.Swapped.Decode(log.Topics, log.Data);
        return Record(order, intentId, pool, gas, FillStatus.Filled, (BigInteger)swapped[3]!, (BigInteger)swapped[4]!, minOut, receipt, receipt.TransactionHash, null, journaled is not null);
    }

    /// <summary>The journaled intent of this slot's leg: the same order's, or an error when the leg traded a different order.</summary>
    private static JournalEntry? JournaledLeg(ExecutionJournal journal, string intentId, string legPrefix)
    {
        var other = journal.Entries.FirstOrDefault(e => e.Intent.Id.StartsWith(legPrefix, StringComparison.Ordinal) && e.Intent.Id != intentId);
        return other is null
            ? journal.Find(intentId)
            : throw new VenueException($"The keeper's journal already holds intent '{other.Intent.Id}' ({other.Step}) for this decision slot and leg with a different order than '{intentId}'; the slot was decided before, so nothing is sent.");
    }

    /// <summary>The journaled call must be a vault swap through our router of the order's pair, for at most its amount; returns its minimum output.</summary>
    private BigInteger CheckJournaledCall(TransactionIntent intent, ChainToken tokenIn, ChainToken tokenOut, BigInteger amountInRaw)
    {
        object?[] call;
        try
        {
            call = intent.To == _market.Vault ? VaultAbi.Swap.DecodeCall(intent.Data) : [];
        }
        catch (AbiException)
        {
            call = [];
        }

        return call.Length == 6 && (EthAddress)call[0]! == _market.Router && (EthAddress)call[1]! == tokenIn.Address && (EthAddress)call[2]! == tokenOut.Address
            && (BigInteger)call[3]! <= amountInRaw
            ? (BigInteger)call[4]!
            : throw new VenueException($"Journaled intent '{intent.Id}' is not a vault swap of at most {amountInRaw} {tokenIn.Symbol} base units for {tokenOut.Symbol} through {_market.Router}; nothing is sent.");
    }

    private async Task<SwapFill> SimulateAsync(
        SwapOrder order, string intentId, PoolState pool, GasQuote gas, ChainToken tokenIn, ChainToken tokenOut, BigInteger amountInRaw, CancellationToken cancellationToken)
    {
        var fresh = await AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
        var minOut = BigInteger.Max(TokenAmounts.ToRaw(order.MinAmountOut, tokenOut.Decimals, UnitRounding.Up), MinimumOut(fresh));
        var deadline = await ChainCalls.DeadlineAsync(_client, _options.Deadline, cancellationToken).ConfigureAwait(false);
        var call = new CallRequest(_market.Vault, VaultAbi.Swap.EncodeCall(_market.Router, tokenIn.Address, tokenOut.Address, amountInRaw, minOut, deadline)) { From = _keeper };
        try
        {
            var output = VaultAbi.Swap.DecodeOutput(await _client.CallAsync(call, BlockTag.Latest, cancellationToken).ConfigureAwait(false));
            var gasUnits = await _client.EstimateGasAsync(call, cancellationToken).ConfigureAwait(false);
            return Record(order, intentId, pool, gas, FillStatus.Filled, amountInRaw, (BigInteger)output[0]!, minOut, null, null, null, false, (long)gasUnits);
        }
        catch (RpcErrorException e) when (e.RevertData is not null || e.Code == 3)
        {
            var reason = RevertReason.Decode(e.RevertData ?? [], VaultAbi.Errors).Message;
            return Record(order, intentId, pool, gas, FillStatus.Reverted, 0, 0, minOut, null, null, $"eth_call reverted: {reason}", false);
        }
    }

    private SwapFill Record(
        SwapOrder order, string intentId, PoolState pool, GasQuote gas, FillStatus status, BigInteger inRaw, BigInteger outRaw, BigInteger minOut,
        TransactionReceipt? receipt, string? hash, string? reason, bool resumed, long? estimatedGas = null)
    {
        var tokenIn = _market.Token(order.AssetIn);
        var tokenOut = _market.Token(order.AssetOut);
        var amountIn = TokenAmounts.ToUnits(inRaw, tokenIn.Decimals);
        var amountOut = TokenAmounts.ToUnits(outRaw, tokenOut.Decimals);
        var gasUsed = receipt is null ? estimatedGas ?? 0 : (long)receipt.GasUsed;
        var price = receipt?.EffectiveGasPrice;
        var gasNative = price is { } wei ? TokenAmounts.ToUnits(receipt!.GasUsed * wei, 18) : gas.CostNative(gasUsed);
        var cost = Cost(pool, order.AssetIn, order.AssetOut, amountIn, amountOut, gas, gasUsed);
        _reports.Add(new OnChainSwapReport(intentId, order, status, inRaw, outRaw, minOut, hash, gasUsed, price, reason, _options.DryRun, resumed));
        var fee = status == FillStatus.Filled ? cost.FeeQuote : 0;
        var impact = status == FillStatus.Filled ? cost.ImpactQuote : 0;
        return new SwapFill(order, pool.Id, _time.GetUtcNow(), status, amountIn, amountOut, fee, impact, cost.PriceImpactBps, gasUsed, gasNative, gasNative * (decimal)gas.NativeTokenPriceQuote);
    }

    /// <summary>
    /// Core's estimate (<see cref="SwapCostModel"/>: pool fee, constant-product impact in basis points) at the pool's mid
    /// prices before the swap, with the output the chain gave (or quoted) and the gas units used in place of the model's:
    /// the impact charged is what the trade really lost after the fee.
    /// </summary>
    private SwapCostEstimate Cost(PoolState pool, string assetIn, string assetOut, decimal amountIn, decimal amountOut, GasQuote gas, long gasUnits)
    {
        var priceIn = assetIn == QuoteAsset ? 1.0 : pool.MidPrice(assetIn);
        var priceOut = assetOut == QuoteAsset ? 1.0 : pool.MidPrice(assetOut);
        var model = _costs.Estimate(amountIn, pool.ReserveOf(assetIn), pool.ReserveOf(assetOut), priceIn, priceOut, gas, pool.FeeBps);
        return model with
        {
            AmountOut = amountOut,
            ImpactQuote = model.NotionalQuote - model.FeeQuote - (amountOut * (decimal)priceOut),
            GasQuote = gas.CostQuote(gasUnits),
            GasUnits = gasUnits,
        };
    }

    private BigInteger MinimumOut(BigInteger quoted) => quoted * (10_000 - _costs.Options.SlippageBps) / 10_000;

    private (ChainAsset Asset, ChainToken In, ChainToken Out, BigInteger AmountInRaw) Resolve(SwapOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!(order.AmountIn > 0) || order.MinAmountOut < 0)
        {
            throw new VenueException($"Order {order.AssetIn}→{order.AssetOut}: the input must be positive and the minimum output non-negative (got {order.AmountIn}, {order.MinAmountOut}).");
        }

        var asset = _market.PoolFor(order.AssetIn, order.AssetOut);
        var tokenIn = _market.Token(order.AssetIn);
        var raw = TokenAmounts.ToRaw(order.AmountIn, tokenIn.Decimals, UnitRounding.Down);
        return raw.IsZero
            ? throw new VenueException($"Order {order.AssetIn}→{order.AssetOut}: {order.AmountIn} is below one base unit of {tokenIn.Symbol} ({tokenIn.Decimals} decimals).")
            : (asset, tokenIn, _market.Token(order.AssetOut), raw);
    }

    private async Task<PoolState> PoolStateAsync(ChainAsset asset, CancellationToken cancellationToken)
    {
        if (!_token0.TryGetValue(asset.Pool, out var token0))
        {
            token0 = (EthAddress)(await ChainCalls.ReadAsync(_client, asset.Pool, UniswapV2Abi.Token0, [], cancellationToken).ConfigureAwait(false))[0]!;
            _token0[asset.Pool] = token0;
        }

        var reserves = await ChainCalls.ReadAsync(_client, asset.Pool, UniswapV2Abi.GetReserves, [], cancellationToken).ConfigureAwait(false);
        var (assetRaw, quoteRaw) = token0 == asset.Token.Address ? ((BigInteger)reserves[0]!, (BigInteger)reserves[1]!) : ((BigInteger)reserves[1]!, (BigInteger)reserves[0]!);
        if (assetRaw.IsZero || quoteRaw.IsZero)
        {
            throw new VenueException($"Pool {asset.Symbol}/{QuoteAsset} ({asset.Pool}) has no liquidity.");
        }

        return new PoolState(
            $"{asset.Symbol}/{QuoteAsset}", asset.Symbol, QuoteAsset,
            TokenAmounts.ToUnits(assetRaw, asset.Token.Decimals), TokenAmounts.ToUnits(quoteRaw, _market.Quote.Decimals), _costs.Options.PoolFeeBps);
    }

    private async Task<GasQuote> GasAsync(CancellationToken cancellationToken)
    {
        var history = await _client.GetFeeHistoryAsync(1, BlockTag.Latest, [50.0], cancellationToken).ConfigureAwait(false);
        var tip = history.Reward.Count > 0 && history.Reward[0].Count > 0 ? history.Reward[0][0] : BigInteger.Zero;
        var wei = (history.BaseFeePerGas.Count > 0 ? history.BaseFeePerGas[^1] : BigInteger.Zero) + tip;
        var native = _costs.Options.NativeTokenPriceQuote;
        var source = "configured";
        if (_market.Assets.FirstOrDefault(a => a.Symbol == _costs.Options.NativeTokenSymbol) is { } nativeAsset)
        {
            native = (await PoolStateAsync(nativeAsset, cancellationToken).ConfigureAwait(false)).MidPrice(nativeAsset.Symbol);
            source = $"pool {nativeAsset.Symbol}/{QuoteAsset}";
        }

        return new GasQuote((double)wei / 1e9, native, "eth_feeHistory (next base fee + median tip)", source);
    }

    private async Task<BigInteger> AmountOutAsync(ChainToken tokenIn, ChainToken tokenOut, BigInteger amountIn, CancellationToken cancellationToken)
    {
        var amounts = (object?[])(await ChainCalls.ReadAsync(
            _client, _market.Router, UniswapV2Abi.GetAmountsOut, [amountIn, new object?[] { tokenIn.Address, tokenOut.Address }], cancellationToken).ConfigureAwait(false))[0]!;
        return (BigInteger)amounts[1]!;
    }

    private async Task<BigInteger> BalanceAsync(ChainToken token, CancellationToken cancellationToken) =>
        await ChainCalls.ReadUIntAsync(_client, token.Address, Erc20Abi.BalanceOf, [_market.Vault], cancellationToken).ConfigureAwait(false);
}
